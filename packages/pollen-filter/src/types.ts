// Public types of the Pollen Filter: the detected types, redaction modes, options and statistics.
// A detector reports spans; the filter decides how each span is rendered from the type's mode.

export const BUILT_IN_TYPES = [
  'email',
  'phone',
  'card',
  'iban',
  'ssn',
  'ipv4',
  'ipv6',
  'jwt',
  'private_key',
  'url_credentials',
  'aws_access_key',
  'aws_secret_key',
  'github_token',
  'slack_token',
  'stripe_key',
  'vault_token',
  'model_api_key',
  'sting_api_key',
  'bearer_token',
  'secret',
  'known_secret',
] as const;

export type BuiltInType = (typeof BUILT_IN_TYPES)[number];

/** label: `[EMAIL]`; partial: a type-specific non-identifying fragment; hash: keyed HMAC for correlation. */
export const REDACTION_MODES = ['label', 'partial', 'hash'] as const;
export type RedactionMode = (typeof REDACTION_MODES)[number];

/** A half-open range [start, end) of the scanned text that must not leave the process. */
export interface Span {
  start: number;
  end: number;
  type: string;
  /** Set when two detections overlapped and were joined; such spans are always rendered as a label. */
  merged?: boolean;
}

export interface CustomPattern {
  name: string;
  pattern: RegExp | string;
  mode?: RedactionMode;
}

export interface PollenFilterOptions {
  /** Mode per type; types not listed use `defaultMode`. */
  modes?: Partial<Record<string, RedactionMode>>;
  defaultMode?: RedactionMode;
  /** Types that are never reported (their values pass through unchanged). */
  disabledTypes?: Iterable<string>;
  customPatterns?: readonly CustomPattern[];
  /** HMAC key for hash mode; a random per-process key when absent. */
  hashKey?: string | Uint8Array;
  /** Exact secret values to redact wherever they appear (more can be added later). */
  knownSecrets?: Iterable<string>;
  /** Deeper object nesting than this is replaced by a marker instead of walked. */
  maxDepth?: number;
}

export interface PollenFilterStats {
  /** Records and top-level strings passed through the filter. */
  records: number;
  /** UTF-8 bytes of every string value and key scanned. */
  bytes: number;
  /** Redactions per type. */
  counts: Record<string, number>;
  /** ISO time of creation or of the last reset. */
  since: string;
}

/** Appends spans found in `text` to `out`; must never throw and must run in time linear in `text.length`. */
export type DetectFn = (text: string, out: Span[]) => void;

export interface Detector {
  /** Every type this detector may report; the detector is skipped when all of them are disabled. */
  readonly types: readonly string[];
  readonly detect: DetectFn;
  /** Bits of `scanTriggers` (triggers.ts) of which one must be set for the detector to find anything; absent: always run. */
  readonly trigger?: number;
}
