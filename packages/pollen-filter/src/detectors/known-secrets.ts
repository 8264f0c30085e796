// Exact values of secrets the process knows (from the secrets provider), redacted wherever they
// appear, also inside longer strings and in their JSON-escaped and URL-encoded spellings.
import type { Detector, Span } from '../types.ts';

/** Shorter values would redact ordinary words; the secrets provider never issues such secrets. */
export const MIN_KNOWN_SECRET_LENGTH = 6;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export class KnownSecrets {
  private readonly values = new Set<string>();
  private matcher: RegExp | null = null;
  /** Distinct leading fragments of the values: a text holding none of them holds no value. */
  private prefixes: string[] = [];

  add(values: Iterable<string>): number {
    let added = 0;
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_KNOWN_SECRET_LENGTH) continue;
      for (const spelling of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
        if (!this.values.has(spelling)) {
          this.values.add(spelling);
          added++;
        }
      }
    }
    if (added > 0) this.rebuild();
    return added;
  }

  get size(): number {
    return this.values.size;
  }

  private rebuild(): void {
    // Longest first, so a secret that contains another is redacted whole. An alternation of
    // literals has no nested quantifier: each attempt costs at most the total length of the values.
    const sorted = [...this.values].sort((a, b) => b.length - a.length);
    this.matcher = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
    // Prefixes as long as the shortest value allows; with very many values, single first
    // characters keep the rejection test to a bounded number of searches.
    const prefixes = [...new Set(sorted.map((v) => v.slice(0, MIN_KNOWN_SECRET_LENGTH)))];
    this.prefixes = prefixes.length <= 16 ? prefixes : [...new Set(sorted.map((v) => v[0]))];
  }

  /** Cheap rejection: a text without the leading fragment of any secret cannot contain one. */
  private mayContain(text: string): boolean {
    for (const prefix of this.prefixes) if (text.indexOf(prefix) !== -1) return true;
    return false;
  }

  readonly detector: Detector = {
    types: ['known_secret'],
    detect: (text: string, out: Span[]): void => {
      const matcher = this.matcher;
      if (matcher === null || !this.mayContain(text)) return;
      matcher.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = matcher.exec(text)) !== null) {
        out.push({ start: m.index, end: m.index + m[0].length, type: 'known_secret' });
      }
    },
  };
}
