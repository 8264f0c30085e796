// Steady load on the gateway while a process is killed and restarted: each answer is classified (full, partial,
// refused, server error), so outage tests can assert that nobody got a refused connection or a 500 and that
// answers went partial during the outage and full again soon after the process came back.
import { setTimeout as sleep } from 'node:timers/promises';

export type Outcome = 'full' | 'partial' | 'error' | 'refused' | 'server-error';
export type Sample = { at: number; outcome: Outcome; detail?: string };

export interface OutageLoad {
  samples: Sample[];
  /** ids the write step returned (acknowledged writes) */
  written: string[];
  stop(): Promise<void>;
}

export interface OutageLoadOptions {
  url: string;
  token: string;
  /** a query whose answer is `full` when every field has data and no errors */
  query: string;
  /** a write returning the new record's id, or undefined when it was refused */
  write?: (attempt: number) => Promise<string | undefined>;
  concurrency?: number;
}

export function startOutageLoad(options: OutageLoadOptions): OutageLoad {
  const samples: Sample[] = [];
  const written: string[] = [];
  let running = true;
  const reader = async () => {
    while (running) {
      samples.push(await ask(options));
      await sleep(20);
    }
  };
  const writer = async () => {
    for (let attempt = 0; running; attempt += 1) {
      const id = await options.write?.(attempt).catch(() => undefined);
      if (id) written.push(id);
      await sleep(100);
    }
  };
  const workers = [
    ...Array.from({ length: options.concurrency ?? 3 }, reader),
    ...(options.write ? [writer()] : []),
  ];
  return {
    samples,
    written,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

async function ask(options: OutageLoadOptions): Promise<Sample> {
  const at = Date.now();
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify({ query: options.query }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return { at, outcome: 'refused', detail: String((error as Error).cause ?? error) };
  }
  const text = await response.text();
  if (response.status >= 500) return { at, outcome: 'server-error', detail: `${response.status} ${text}` };
  let body: { data?: Record<string, unknown> | null; errors?: unknown[] };
  try {
    body = JSON.parse(text);
  } catch {
    return { at, outcome: 'error', detail: `${response.status} ${text.slice(0, 200)}` };
  }
  const values = Object.values(body.data ?? {});
  if (!body.errors?.length && values.length > 0 && values.every((v) => v !== null))
    return { at, outcome: 'full' };
  if (values.some((v) => v !== null)) return { at, outcome: 'partial', detail: JSON.stringify(body.errors) };
  return { at, outcome: 'error', detail: `${response.status} ${text.slice(0, 300)}` };
}

/** Counts of each outcome among `samples` taken in [from, to). */
export function tally(samples: Sample[], from = 0, to = Infinity): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { full: 0, partial: 0, error: 0, refused: 0, 'server-error': 0 };
  for (const sample of samples) if (sample.at >= from && sample.at < to) counts[sample.outcome] += 1;
  return counts;
}
