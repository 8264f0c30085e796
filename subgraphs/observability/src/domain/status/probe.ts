// What a health check is: a named component of some kind that reports up or down. Running one never throws:
// a failure or a timeout becomes a down component with the reason in its detail.
export const ComponentKinds = ['SUBGRAPH', 'DATABASE', 'CACHE', 'VECTOR_STORE'] as const;
export type ComponentKind = (typeof ComponentKinds)[number];

export interface ProbeOutcome {
  up: boolean;
  detail?: string | null;
}

export interface Probe {
  name: string;
  kind: ComponentKind;
  /** Resolves with the outcome; may throw, which counts as down. Should give up when `signal` aborts. */
  check(signal: AbortSignal): Promise<ProbeOutcome>;
}

export interface ComponentStatus {
  name: string;
  kind: ComponentKind;
  up: boolean;
  latencyMs: number | null;
  detail: string | null;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

export async function runProbe(probe: Probe, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<ComponentStatus> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const outcome = await Promise.race([probe.check(controller.signal), timeout]);
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    return { name: probe.name, kind: probe.kind, up: outcome.up, latencyMs, detail: outcome.detail ?? null };
  } catch (err) {
    return { name: probe.name, kind: probe.kind, up: false, latencyMs: null, detail: reason(err) };
  } finally {
    clearTimeout(timer);
  }
}

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reason(err.errors[0]);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
