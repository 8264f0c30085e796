// Completion of one event shared by identical subscribers: same operation, variables and viewer receive the same
// event payload, so the rest of the plan (entity fetches) runs once for all of them instead of once each.
import type { ExecutionResult } from 'graphql';

export interface SharedCompletionsOptions {
  /** How long a settled result still serves subscribers whose copy of the event arrives late. */
  graceMs?: number;
  /** Most entries kept; the oldest is dropped beyond it. */
  maxEntries?: number;
}

interface Entry {
  result: Promise<ExecutionResult>;
  timer?: NodeJS.Timeout;
}

export class SharedCompletions {
  readonly #graceMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: SharedCompletionsOptions = {}) {
    this.#graceMs = options.graceMs ?? 1000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  /**
   * The result for `key`: the one in flight or just settled, else `compute()`'s. Callers must put everything the
   * result depends on into the key, the viewer above all: a result is never shared across viewers.
   */
  share(key: string, compute: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    const existing = this.#entries.get(key);
    if (existing) return existing.result;
    if (this.#entries.size >= this.#maxEntries) this.#drop(this.#entries.keys().next().value!);
    const entry: Entry = { result: compute() };
    this.#entries.set(key, entry);
    const settle = () => {
      if (this.#entries.get(key) !== entry) return;
      entry.timer = setTimeout(() => this.#drop(key, entry), this.#graceMs);
      entry.timer.unref();
    };
    entry.result.then(settle, settle);
    return entry.result;
  }

  /** Entries held (tests, bounds). */
  get size(): number {
    return this.#entries.size;
  }

  #drop(key: string, only?: Entry): void {
    const entry = this.#entries.get(key);
    if (!entry || (only && entry !== only)) return;
    clearTimeout(entry.timer);
    this.#entries.delete(key);
  }
}
