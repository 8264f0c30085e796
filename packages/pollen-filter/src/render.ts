// Renders a detected span according to its type's mode: `[EMAIL]`, `[CARD ****4242]`, or
// `[EMAIL#3f9a1c2b7d4e]` (HMAC-SHA256, so one value correlates across lines without disclosure).
import { createHmac, randomBytes } from 'node:crypto';
import { partialFragment } from './partial.ts';
import type { RedactionMode, Span } from './types.ts';

/** Spellings that name the same value hash alike: `+1 415-555-2671` and `+14155552671`. */
function canonical(type: string, value: string): string {
  switch (type) {
    case 'email':
      // `kim%40example.org` in a URL is the same address as `kim@example.org`.
      return value.toLowerCase().replace(/%(?:25)?40/, '@');
    case 'card':
    case 'phone':
    case 'ssn':
      return value.replace(/\D/g, '');
    case 'iban':
      return value.replace(/ /g, '').toUpperCase();
    case 'ipv6':
      return value.toLowerCase();
    default:
      return value;
  }
}

export function labelOf(type: string): string {
  return type.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

export class Renderer {
  private readonly key: Uint8Array | string;
  private readonly modes: ReadonlyMap<string, RedactionMode>;
  private readonly defaultMode: RedactionMode;

  constructor(
    modes: ReadonlyMap<string, RedactionMode>,
    defaultMode: RedactionMode,
    key?: string | Uint8Array,
  ) {
    this.modes = modes;
    this.defaultMode = defaultMode;
    this.key = key ?? randomBytes(32);
  }

  modeOf(type: string): RedactionMode {
    return this.modes.get(type) ?? this.defaultMode;
  }

  hash(type: string, value: string): string {
    return createHmac('sha256', this.key)
      .update(type)
      .update('\0')
      .update(canonical(type, value))
      .digest('hex')
      .slice(0, 12);
  }

  render(span: Span, value: string): string {
    const label = labelOf(span.type);
    const mode = span.merged ? 'label' : this.modeOf(span.type);
    if (mode === 'hash') return `[${label}#${this.hash(span.type, value)}]`;
    if (mode === 'partial') {
      const fragment = partialFragment(span.type, value);
      if (fragment !== '') return `[${label} ${fragment}]`;
    }
    return `[${label}]`;
  }
}
