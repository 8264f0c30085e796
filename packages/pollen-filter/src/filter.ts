// PollenFilter: the redaction control every log record passes through before it is written.
// It fails closed: an internal error yields a placeholder, never the unfiltered input.
import { customPatternDetector } from './detectors/custom-patterns.ts';
import { KnownSecrets } from './detectors/known-secrets.ts';
import { BUILT_IN_DETECTORS, priorityOf } from './detectors/registry.ts';
import { RecordWalker } from './record.ts';
import { Renderer } from './render.ts';
import { Scanner } from './scanner.ts';
import { StatsCounter } from './stats.ts';
import {
  REDACTION_MODES,
  type Detector,
  type PollenFilterOptions,
  type PollenFilterStats,
  type RedactionMode,
  type Span,
} from './types.ts';

export const REDACTION_FAILED = '[REDACTION_FAILED]';

function checkMode(type: string, mode: unknown): RedactionMode {
  if (!(REDACTION_MODES as readonly unknown[]).includes(mode)) {
    throw new TypeError(`pollen-filter: mode for "${type}" must be one of ${REDACTION_MODES.join(', ')}`);
  }
  return mode as RedactionMode;
}

export class PollenFilter {
  private readonly counter = new StatsCounter();
  private readonly known = new KnownSecrets();
  private readonly scanner: Scanner;
  private readonly walker: RecordWalker;

  constructor(options: PollenFilterOptions = {}) {
    const disabled = new Set(options.disabledTypes ?? []);
    const enabled = (type: string): boolean => !disabled.has(type);
    const modes = new Map<string, RedactionMode>();
    for (const [type, mode] of Object.entries(options.modes ?? {})) modes.set(type, checkMode(type, mode));
    const custom: Detector[] = [];
    for (const pattern of options.customPatterns ?? []) {
      custom.push(customPatternDetector(pattern));
      if (pattern.mode !== undefined) modes.set(pattern.name, checkMode(pattern.name, pattern.mode));
    }
    const renderer = new Renderer(
      modes,
      checkMode('default', options.defaultMode ?? 'label'),
      options.hashKey,
    );
    const detectors = [this.known.detector, ...custom, ...BUILT_IN_DETECTORS];
    this.scanner = new Scanner(detectors, enabled, renderer, priorityOf, this.counter);
    this.walker = new RecordWalker({
      scanner: this.scanner,
      renderer,
      stats: this.counter,
      enabled,
      priorityOf,
      maxDepth: options.maxDepth ?? 32,
    });
    if (options.knownSecrets) this.addKnownSecrets(options.knownSecrets);
  }

  /** Redacts one string (a log line or message). Never throws. */
  redactString(s: string): string {
    this.counter.records++;
    if (typeof s !== 'string') return this.redactString(String(s));
    try {
      return this.scanner.redact(s);
    } catch {
      return REDACTION_FAILED;
    }
  }

  /** Returns a redacted copy of a log record; the input is left untouched. Never throws. */
  redactRecord(record: Record<string, unknown>): Record<string, unknown> {
    this.counter.records++;
    try {
      return this.walker.walk(record);
    } catch {
      return { msg: REDACTION_FAILED };
    }
  }

  /** The disjoint spans `redactString` would replace, without redacting or counting. */
  detect(s: string): Span[] {
    try {
      return this.scanner.spans(String(s));
    } catch {
      return [{ start: 0, end: String(s).length, type: 'error' }];
    }
  }

  /** Exact secret values (e.g. resolved from the secrets provider) to redact wherever they appear. */
  addKnownSecrets(values: Iterable<string>): void {
    if (this.known.add(values) > 0) this.walker.forgetKeys();
  }

  stats(): PollenFilterStats {
    return this.counter.snapshot();
  }

  resetStats(): void {
    this.counter.reset();
  }
}

export function createPollenFilter(options?: PollenFilterOptions): PollenFilter {
  return new PollenFilter(options);
}
