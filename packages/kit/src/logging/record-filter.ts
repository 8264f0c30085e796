// The hook every log record passes through before it is written: the Pollen Filter when its package is present,
// otherwise a narrow fallback that still removes known secret values and values under secret-looking keys.

/** Receives a complete record (msg, bindings, merged fields, serialised err) and returns what may be written. */
export type RecordFilter = (record: Record<string, unknown>) => Record<string, unknown>;

export interface DefaultFilterOptions {
  /** Exact values to redact wherever they appear, e.g. `secrets.knownValues()`. */
  knownSecrets?: () => Iterable<string>;
}

type PollenModule = {
  createPollenFilter?: (options?: { knownSecrets?: Iterable<string> }) => {
    redactRecord(record: Record<string, unknown>): Record<string, unknown>;
  };
};

// Loaded once: the Pollen Filter is optional at this layer so kit does not fail to load without it.
// The specifier is a variable so type-checking does not require the package to exist yet.
const POLLEN_PACKAGE = '@sting/pollen-filter';
const pollen: PollenModule | null = await import(POLLEN_PACKAGE).catch(() => null);

export function pollenFilterAvailable(): boolean {
  return typeof pollen?.createPollenFilter === 'function';
}

export function createDefaultFilter(options: DefaultFilterOptions = {}): RecordFilter {
  if (pollen?.createPollenFilter) {
    const filter = pollen.createPollenFilter({ knownSecrets: options.knownSecrets?.() ?? [] });
    const known = options.knownSecrets;
    if (!known) return (record) => filter.redactRecord(record);
    // Secrets resolved after the logger was made are caught by a second, exact-value pass.
    const exact = knownSecretFilter(known);
    return (record) => exact(filter.redactRecord(record));
  }
  const exact = knownSecretFilter(options.knownSecrets ?? (() => []));
  return (record) => exact(redactSecretKeys(record));
}

const SECRET_KEY = /pass(word)?|secret|token|authori[sz]ation|cookie|api[-_]?key|private[-_]?key|credential/i;

function redactSecretKeys(value: Record<string, unknown>): Record<string, unknown> {
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 12) return '[DEPTH]';
    if (Array.isArray(node)) return node.map((v) => walk(v, depth + 1));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = SECRET_KEY.test(k) && v !== null && typeof v !== 'object' ? '[SECRET]' : walk(v, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as Record<string, unknown>;
}

/** Replaces every occurrence of a known secret value in every string (keys included) of the record. */
export function knownSecretFilter(knownSecrets: () => Iterable<string>): RecordFilter {
  return (record) => {
    const secrets = [...knownSecrets()].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    if (secrets.length === 0) return record;
    const scrub = (s: string) => secrets.reduce((text, secret) => text.split(secret).join('[SECRET]'), s);
    const walk = (node: unknown): unknown => {
      if (typeof node === 'string') return scrub(node);
      if (Array.isArray(node)) return node.map(walk);
      if (node === null || typeof node !== 'object') return node;
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [scrub(k), walk(v)]));
    };
    return walk(record) as Record<string, unknown>;
  };
}
