// Runs the enabled detectors over one string, resolves their spans and splices in the rendered
// replacements. Text without any detection is returned as the same string, with no copying.
// A detector runs only when the string's trigger pre-scan (triggers.ts) shows it could match.
import type { Renderer } from './render.ts';
import { resolveOverlaps } from './overlaps.ts';
import type { StatsCounter } from './stats.ts';
import { scanTriggers } from './triggers.ts';
import type { Detector, Span } from './types.ts';

export class Scanner {
  private readonly detectors: readonly Detector[];
  /** Per detector: the trigger bits it needs (0: runs on every string). */
  private readonly gates: Int32Array;
  private readonly enabled: (type: string) => boolean;
  private readonly renderer: Renderer;
  private readonly priorityOf: (type: string) => number;
  private readonly stats: StatsCounter;

  constructor(
    detectors: readonly Detector[],
    enabled: (type: string) => boolean,
    renderer: Renderer,
    priorityOf: (type: string) => number,
    stats: StatsCounter,
  ) {
    this.detectors = detectors.filter((d) => d.types.some(enabled));
    this.gates = Int32Array.from(this.detectors, (d) => d.trigger ?? 0);
    this.enabled = enabled;
    this.renderer = renderer;
    this.priorityOf = priorityOf;
    this.stats = stats;
  }

  /** Disjoint spans of `text` that must be redacted, in order. */
  spans(text: string): Span[] {
    const found: Span[] = [];
    const mask = scanTriggers(text);
    const { detectors, gates } = this;
    for (let i = 0; i < detectors.length; i++) {
      if (gates[i] === 0 || (gates[i] & mask) !== 0) detectors[i].detect(text, found);
    }
    let kept = found;
    for (let i = 0; i < found.length; i++) {
      if (!this.enabled(found[i].type)) {
        kept = found.filter((s) => this.enabled(s.type));
        break;
      }
    }
    return resolveOverlaps(kept, this.priorityOf);
  }

  redact(text: string): string {
    this.stats.bytes += Buffer.byteLength(text, 'utf8');
    const spans = this.spans(text);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const span of spans) {
      out += text.slice(at, span.start) + this.renderer.render(span, text.slice(span.start, span.end));
      this.stats.count(span.type);
      at = span.end;
    }
    return out + text.slice(at);
  }
}
