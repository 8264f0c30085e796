// The part of the platform configuration identity reads (its slice, `SubgraphConfig<'identity'>`), with its
// defaults. The config loader has validated it and applied STING_ADMIN_EMAIL / STING_ADMIN_PASSWORD; sections may
// be absent so tests can pass only what they are about.
import type { SubgraphConfig } from '@sting/kit';
import { DEFAULT_SESSION_TTL_HOURS } from './sessions.ts';

/** `builtin`: passwords and sessions here; `kratos`: people sign in at Ory Kratos and are synced here. */
export type IdentityProvider = 'builtin' | 'kratos';

export interface IdentitySettings {
  provider: IdentityProvider;
  sessionTtlHours: number;
  admin: { email?: string; password?: string };
}

type IdentitySlice = SubgraphConfig<'identity'>['identity'];

/** The identity slice as tests may give it: any part of it. */
export interface IdentityConfig {
  identity?: {
    provider?: IdentitySlice['provider'];
    sessionTtlHours?: number;
    admin?: { email?: string | null; password?: string | null };
  };
}

// An unresolved secret reference (`env:NAME`, `file:…`, `vault:…`) is not a usable value.
function plainString(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return /^(env|file|vault):/.test(value) ? undefined : value;
}

export function identitySettings(config: IdentityConfig): IdentitySettings {
  const identity = config.identity ?? {};
  const ttl = Number(identity.sessionTtlHours);
  return {
    provider: identity.provider === 'kratos' ? 'kratos' : 'builtin',
    sessionTtlHours: Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_SESSION_TTL_HOURS,
    admin: {
      email: plainString(identity.admin?.email),
      password: plainString(identity.admin?.password),
    },
  };
}
