// The part of the platform configuration identity reads, with its defaults. The config module validates the
// whole file; this only picks keys out, tolerating absent sections so tests can pass a bare runtime.
import { DEFAULT_SESSION_TTL_HOURS } from './sessions.ts';

/** `builtin`: passwords and sessions here; `kratos`: people sign in at Ory Kratos and are synced here. */
export type IdentityProvider = 'builtin' | 'kratos';

export interface IdentitySettings {
  provider: IdentityProvider;
  sessionTtlHours: number;
  admin: { email?: string; password?: string };
}

function pick(source: unknown, path: string[]): unknown {
  let value = source;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

// An unresolved secret reference (`env:NAME`, `file:…`, `vault:…`) is not a usable value.
function plainString(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return /^(env|file|vault):/.test(value) ? undefined : value;
}

export function identitySettings(config: unknown, env: NodeJS.ProcessEnv = process.env): IdentitySettings {
  const ttl = Number(pick(config, ['identity', 'sessionTtlHours']));
  return {
    provider: pick(config, ['identity', 'provider']) === 'kratos' ? 'kratos' : 'builtin',
    sessionTtlHours: Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_SESSION_TTL_HOURS,
    admin: {
      email: plainString(env.STING_ADMIN_EMAIL) ?? plainString(pick(config, ['identity', 'admin', 'email'])),
      password:
        plainString(env.STING_ADMIN_PASSWORD) ?? plainString(pick(config, ['identity', 'admin', 'password'])),
    },
  };
}
