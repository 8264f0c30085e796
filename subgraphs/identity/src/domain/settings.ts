// The part of the platform configuration identity reads (its slice, `SubgraphConfig<'identity'>`), with its
// defaults. The config loader has validated it and applied STING_ADMIN_EMAIL / STING_ADMIN_PASSWORD; sections may
// be absent so tests can pass only what they are about.
import type { SubgraphConfig } from '@sting/kit';
import {
  DEFAULT_SESSION_IDLE_MINUTES,
  DEFAULT_SESSION_LIFETIME_HOURS,
  type SessionLimits,
} from './sessions.ts';

/** `builtin`: passwords and sessions here; `kratos`: people sign in at Ory Kratos and are synced here. */
export type IdentityProvider = 'builtin' | 'kratos';

export interface IdentitySettings {
  provider: IdentityProvider;
  /** A session ends after idleTimeoutMinutes without a request, and absoluteLifetimeHours after sign-in. */
  sessions: SessionLimits;
  admin: { email?: string; password?: string };
  /** Kratos's admin API (Kratos mode: people are created, re-roled, disabled and deleted there). */
  kratosAdminUrl: string;
  /** Where people open STING (links it hands out, e.g. password resets); default the gateway on localhost. */
  publicUrl: string;
  /** Administrators must have a second factor for sensitive operations (see assurance.ts). */
  requireMfaForAdmins: boolean;
}

type IdentitySlice = SubgraphConfig<'identity'>['identity'];

/** The identity slice as tests may give it: any part of it. */
export interface IdentityConfig {
  identity?: {
    provider?: IdentitySlice['provider'];
    sessions?: Partial<SessionLimits>;
    /** The old name of sessions.absoluteLifetimeHours. */
    sessionTtlHours?: number;
    admin?: { email?: string | null; password?: string | null };
    publicUrl?: string;
    kratos?: { adminUrl?: string };
    requireMfaForAdmins?: boolean;
  };
  /** The rest of the slice (the secrets section, the gateway's port) is read by second-factor/settings.ts. */
  secrets?: unknown;
  gateway?: unknown;
}

// An unresolved secret reference (`env:NAME`, `file:…`, `vault:…`) is not a usable value.
function plainString(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return /^(env|file|vault):/.test(value) ? undefined : value;
}

export function identitySettings(config: IdentityConfig): IdentitySettings {
  const identity = config.identity ?? {};
  const positive = (value: unknown, fallback: number) => {
    const n = Number(value);
    return value !== undefined && value !== null && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    provider: identity.provider === 'kratos' ? 'kratos' : 'builtin',
    sessions: {
      idleTimeoutMinutes: positive(identity.sessions?.idleTimeoutMinutes, DEFAULT_SESSION_IDLE_MINUTES),
      absoluteLifetimeHours: positive(
        identity.sessions?.absoluteLifetimeHours,
        positive(identity.sessionTtlHours, DEFAULT_SESSION_LIFETIME_HOURS),
      ),
    },
    admin: {
      email: plainString(identity.admin?.email),
      password: plainString(identity.admin?.password),
    },
    kratosAdminUrl: plainString(identity.kratos?.adminUrl) ?? 'http://127.0.0.1:4434',
    publicUrl:
      plainString(identity.publicUrl) ??
      `http://localhost:${(config.gateway as { port?: number } | undefined)?.port ?? 4000}`,
    requireMfaForAdmins: identity.requireMfaForAdmins === true,
  };
}
