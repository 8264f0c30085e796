// The second-factor part of identity's configuration, with its defaults: the TOTP issuer and the key sealing TOTP
// secrets, and the passkey relying party (by default localhost, reached through the gateway's own port).
import { ConfigError, resolveKeyMaterial, sharedPromise, type SubgraphConfig } from '@sting/kit';

type Slice = SubgraphConfig<'identity'>;

export interface WebauthnSettings {
  rpId: string;
  rpName: string;
  /** Origins a passkey ceremony may come from (the web app's). */
  origins: string[];
}

/** The slice as tests may give it: any part of it. */
export interface SecondFactorConfig {
  identity?: {
    secondFactor?: { key?: string | null; issuer?: string };
    webauthn?: { rpId?: string; rpName?: string; origins?: readonly string[] };
  };
  secrets?: Slice['secrets'];
  gateway?: { port?: number };
}

export const DEFAULT_GATEWAY_PORT = 4000;

export function webauthnSettings(config: SecondFactorConfig): WebauthnSettings {
  const webauthn = config.identity?.webauthn ?? {};
  const port = config.gateway?.port ?? DEFAULT_GATEWAY_PORT;
  const origins = webauthn.origins?.length ? [...webauthn.origins] : [`http://localhost:${port}`];
  return {
    rpId: webauthn.rpId || new URL(origins[0]).hostname,
    rpName: webauthn.rpName || 'STING',
    origins: origins.map((o) => new URL(o).origin),
  };
}

export function totpIssuer(config: SecondFactorConfig): string {
  return config.identity?.secondFactor?.issuer || 'STING';
}

// One resolution per configuration: the keystore is read (or the key created) once, not on every request.
const keys = new WeakMap<object, Promise<Buffer>>();

/** The AES-256 key sealing TOTP secrets (identity.secondFactor.key, created in the local keystore if absent). */
export function secondFactorKey(config: SecondFactorConfig): Promise<Buffer> {
  return sharedPromise(keys, config, () => {
    const value = config.identity?.secondFactor?.key;
    // A partial configuration (a test's) without a key or a secrets section has nowhere to keep one.
    return value || config.secrets
      ? resolveKeyMaterial({
          value,
          configKey: 'identity.secondFactor.key',
          keystoreName: 'identity-second-factor-key',
          secrets: config.secrets ?? { provider: 'vault', keystore: '', keyFile: '' },
        })
      : Promise.reject(
          new ConfigError(
            'identity.secondFactor.key: no key and no secrets provider',
            'identity.secondFactor.key',
          ),
        );
  });
}
