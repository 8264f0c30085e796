// Liveness (`/healthz`: the process answers) and readiness (`/readyz`: every dependency check passes in time)
// for load balancers and Kubernetes probes.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HealthOptions {
  /** Per-check limit; a check that takes longer counts as failing. */
  timeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

export type CheckOutcome = { status: 'ok' | 'failed' | 'timeout'; latency_ms: number };

function send(res: ServerResponse, status: number, body: unknown, head: boolean) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : payload);
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckOutcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  // The reason a check failed stays out of the response: probes are often reachable from outside.
  const ran = Promise.resolve()
    .then(check.check)
    .then(
      () => 'ok' as const,
      () => 'failed' as const,
    );
  const status = await Promise.race([ran, timedOut]);
  clearTimeout(timer);
  return { status, latency_ms: Math.round((performance.now() - started) * 10) / 10 };
}

/** Runs every check at once; the answer is ready only when all pass. */
export async function readiness(checks: ReadinessCheck[], timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {
  const outcomes = await Promise.all(checks.map((c) => runCheck(c, timeoutMs)));
  const results = Object.fromEntries(checks.map((c, i) => [c.name, outcomes[i]]));
  const failing = checks.filter((_c, i) => outcomes[i].status !== 'ok').map((c) => c.name);
  return { ready: failing.length === 0, checks: results, failing };
}

/** Answers `/healthz` and `/readyz` (GET or HEAD); false for any other path. */
export async function handleHealth(
  req: IncomingMessage,
  res: ServerResponse,
  checks: ReadinessCheck[],
  opts: HealthOptions = {},
): Promise<boolean> {
  const pathname = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
  if (pathname !== '/healthz' && pathname !== '/readyz') return false;
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const head = method === 'HEAD';
  if (pathname === '/healthz') {
    send(res, 200, { status: 'ok' }, head);
    return true;
  }
  const { ready, checks: results, failing } = await readiness(checks, opts.timeoutMs);
  if (ready) send(res, 200, { status: 'ok', checks: results }, head);
  else send(res, 503, { status: 'unavailable', failing, checks: results }, head);
  return true;
}
