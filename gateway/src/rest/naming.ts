// The legacy REST API spoke snake_case JSON (`chunk_count`, `created_at`); GraphQL speaks camelCase. Responses are
// renamed to snake_case, and request bodies are accepted in either spelling and renamed to camelCase.

export function snakeCase(name: string): string {
  if (name.startsWith('__')) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[rename(key)] = renameKeys(item, rename);
  return out;
}

/** GraphQL result → legacy REST JSON. */
export function toRestNaming(value: unknown): unknown {
  return renameKeys(value, snakeCase);
}

/** Legacy REST JSON body → GraphQL input. */
export function fromRestNaming(value: unknown): unknown {
  return renameKeys(value, camelCase);
}
