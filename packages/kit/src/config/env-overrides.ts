// The environment variables that override config.yml (listed in its header), applied before validation so
// their values are checked like any other.

const OVERRIDES: Record<string, string[]> = {
  STING_PROFILE: ['profile'],
  STING_TOPOLOGY: ['topology'],
  STING_HOST: ['gateway', 'host'],
  STING_PORT: ['gateway', 'port'],
  DATABASE_URL: ['database', 'url'],
  REDIS_URL: ['redis', 'url'],
  CHROMA_URL: ['chroma', 'url'],
  STING_LOG_LEVEL: ['logging', 'level'],
  STING_ADMIN_EMAIL: ['identity', 'admin', 'email'],
  STING_ADMIN_PASSWORD: ['identity', 'admin', 'password'],
};

const SECRET_OVERRIDES = new Set(['STING_ADMIN_PASSWORD', 'STING_ADMIN_EMAIL']);

export function applyEnvOverrides(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, unknown> {
  const result = structuredClone(raw);
  for (const [name, path] of Object.entries(OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let node = result;
    for (const segment of path.slice(0, -1)) {
      const child = node[segment];
      if (child === null || typeof child !== 'object' || Array.isArray(child)) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    // Secrets stay references so the provider records them for redaction instead of passing them in the clear.
    node[path[path.length - 1]] = SECRET_OVERRIDES.has(name) ? `env:${name}` : value;
  }
  return result;
}
