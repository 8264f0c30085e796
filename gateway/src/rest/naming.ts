// The legacy REST API spoke snake_case JSON (`chunk_count`, `created_at`); GraphQL speaks camelCase. Responses are
// renamed to snake_case, and request bodies are accepted in either spelling and renamed to camelCase.

export function snakeCase(name: string): string {
  if (name.startsWith('__')) return name;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function camelCase(name: string): string {
  if (name.startsWith('__')) return name;
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

// Recursive: bodies are nested at most MAX_JSON_DEPTH levels (request-body.ts), results as deep as their query.
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  // Object.fromEntries defines each key as the object's own: a body's "__proto__" stays a field (refused as
  // unknown), where assigning it would have set the prototype of the object the resolvers read.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [rename(key), renameKeys(item, rename)]),
  );
}

/** GraphQL result → legacy REST JSON. */
export function toRestNaming(value: unknown): unknown {
  return renameKeys(value, snakeCase);
}

/** Legacy REST JSON body → GraphQL input. */
export function fromRestNaming(value: unknown): unknown {
  return renameKeys(value, camelCase);
}
