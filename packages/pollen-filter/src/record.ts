// Walks a log record into a redacted copy: key-name rules on fields, detectors on every string
// (keys included), arrays and nested objects, cycles and hostile objects (throwing getters,
// proxies) tolerated. The input is never mutated.
import { classifyKey, isHeaderKey } from './detectors/secret-keys.ts';
import type { Renderer } from './render.ts';
import type { Scanner } from './scanner.ts';
import type { StatsCounter } from './stats.ts';

export interface RecordWalkerDeps {
  scanner: Scanner;
  renderer: Renderer;
  stats: StatsCounter;
  enabled: (type: string) => boolean;
  priorityOf: (type: string) => number;
  maxDepth: number;
}

const KEY_CACHE_LIMIT = 2048;

export class RecordWalker {
  private readonly deps: RecordWalkerDeps;
  /** Keys already seen to contain nothing: log records repeat the same few dozen keys. */
  private readonly cleanKeys = new Set<string>();
  /** What classifyKey says of each key seen (null: not a secret's name), for the same reason. */
  private readonly keyTypes = new Map<string, string | null>();

  constructor(deps: RecordWalkerDeps) {
    this.deps = deps;
  }

  forgetKeys(): void {
    this.cleanKeys.clear();
  }

  walk(record: Record<string, unknown>): Record<string, unknown> {
    const out = this.value(record, 0, new WeakSet(), null);
    return typeof out === 'object' && out !== null && !Array.isArray(out)
      ? (out as Record<string, unknown>)
      : { value: out };
  }

  private key(key: string): string {
    if (this.cleanKeys.has(key)) return key;
    const redacted = this.deps.scanner.redact(key);
    if (redacted === key && key.length <= 64) {
      if (this.cleanKeys.size >= KEY_CACHE_LIMIT) this.cleanKeys.clear();
      this.cleanKeys.add(key);
    }
    return redacted;
  }

  /** A field named like a secret: its whole value goes, unless a more specific detector names it. */
  private secretField(key: string, type: string, value: unknown): unknown {
    const { scanner, renderer, stats } = this.deps;
    if (typeof value === 'string') {
      if (value.length === 0) return value;
      stats.bytes += Buffer.byteLength(value, 'utf8');
      let prefix = '';
      let secret = value;
      let spanType = type;
      if (isHeaderKey(key) && /^(?:authorization|proxy-?authorization)$/i.test(key)) {
        const scheme = /^([A-Za-z][A-Za-z0-9-]{0,23}) +/.exec(value);
        if (scheme) {
          prefix = scheme[0];
          secret = value.slice(prefix.length);
          if (scheme[1].toLowerCase() === 'bearer' && this.deps.enabled('bearer_token'))
            spanType = 'bearer_token';
        }
      }
      const spans = scanner.spans(secret);
      if (
        spans.length === 1 &&
        spans[0].start === 0 &&
        spans[0].end === secret.length &&
        this.deps.priorityOf(spans[0].type) > this.deps.priorityOf(spanType)
      ) {
        spanType = spans[0].type;
      }
      stats.count(spanType);
      return prefix + renderer.render({ start: 0, end: secret.length, type: spanType }, secret);
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      stats.count(type);
      return renderer.render({ start: 0, end: 0, type }, String(value));
    }
    return value;
  }

  private value(
    value: unknown,
    depth: number,
    ancestors: WeakSet<object>,
    secretType: string | null,
  ): unknown {
    switch (typeof value) {
      case 'string':
        return secretType !== null
          ? this.secretField('', secretType, value)
          : this.deps.scanner.redact(value);
      case 'number':
      case 'bigint':
        return secretType !== null ? this.secretField('', secretType, value) : value;
      case 'object':
        break;
      default:
        return value;
    }
    if (value === null) return null;
    if (depth >= this.deps.maxDepth) return '[DEPTH_LIMIT]';
    if (ancestors.has(value)) return '[CIRCULAR]';
    if (value instanceof Date) return new Date(value.getTime());
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer)
      return `[BINARY ${value.byteLength} bytes]`;
    ancestors.add(value);
    try {
      if (Array.isArray(value))
        return value.map((item) => this.value(item, depth + 1, ancestors, secretType));
      if (value instanceof Map) {
        return this.fields(
          [...value.entries()].map(([k, v]) => [String(k), v]),
          depth,
          ancestors,
          secretType,
        );
      }
      if (value instanceof Set)
        return [...value].map((item) => this.value(item, depth + 1, ancestors, secretType));
      if (value instanceof Error) {
        const entries: [string, unknown][] = [
          ['name', value.name],
          ['message', value.message],
          ['stack', value.stack],
        ];
        for (const k of Object.keys(value))
          entries.push([k, (value as unknown as Record<string, unknown>)[k]]);
        if (value.cause !== undefined) entries.push(['cause', value.cause]);
        return this.fields(entries, depth, ancestors, secretType);
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function')
        return this.value(toJSON.call(value), depth + 1, ancestors, secretType);
      const entries: [string, unknown][] = [];
      for (const k of Object.keys(value)) {
        let v: unknown;
        try {
          v = (value as Record<string, unknown>)[k];
        } catch {
          v = '[UNREADABLE]';
        }
        entries.push([k, v]);
      }
      return this.fields(entries, depth, ancestors, secretType);
    } catch {
      return '[UNREADABLE]';
    } finally {
      ancestors.delete(value);
    }
  }

  private fields(
    entries: [string, unknown][],
    depth: number,
    ancestors: WeakSet<object>,
    secretType: string | null,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const keyType = secretType ?? this.secretKeyType(k);
      const name = this.key(k);
      const redacted =
        keyType !== null && secretType === null && typeof v !== 'object'
          ? this.secretField(k, keyType, v)
          : this.value(v, depth + 1, ancestors, keyType);
      // A plain assignment to `__proto__` would replace the prototype instead of adding a field. Every other key
      // is assigned: defining each field costs several times as much, on every field of every log record.
      if (name === '__proto__') {
        Object.defineProperty(out, name, {
          value: redacted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[name] = redacted;
    }
    return out;
  }

  private secretKeyType(key: string): string | null {
    let type = this.keyTypes.get(key);
    if (type === undefined) {
      type = classifyKey(key);
      if (key.length <= 64) {
        if (this.keyTypes.size >= KEY_CACHE_LIMIT) this.keyTypes.clear();
        this.keyTypes.set(key, type);
      }
    }
    return type !== null && this.deps.enabled(type) ? type : null;
  }
}
