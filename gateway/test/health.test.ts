// Liveness and readiness probes over real HTTP, with real checks that pass, fail and hang.
import { describe, it, expect } from '@jest/globals';
import { handleHealth, type ReadinessCheck } from '../src/health/index.ts';
import { serve } from './serve.ts';

async function probe(checks: ReadinessCheck[], path: string, init?: RequestInit) {
  const server = await serve((req, res) => handleHealth(req, res, checks, { timeoutMs: 100 }));
  try {
    const res = await fetch(server.url + path, init);
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json');
    return { status: res.status, body: json ? JSON.parse(text) : text };
  } finally {
    await server.close();
  }
}

const passing: ReadinessCheck = { name: 'postgres', check: async () => {} };
const failing: ReadinessCheck = {
  name: 'redis',
  check: async () => {
    throw new Error('ECONNREFUSED 10.0.0.7:6379');
  },
};
const hanging: ReadinessCheck = { name: 'chroma', check: () => new Promise(() => {}) };

describe('health', () => {
  it('/healthz answers ok without running checks', async () => {
    let ran = false;
    const res = await probe([{ name: 'x', check: async () => void (ran = true) }], '/healthz');
    expect(res).toEqual({ status: 200, body: { status: 'ok' } });
    expect(ran).toBe(false);
  });

  it('/readyz is 200 with each check’s status and latency when all pass', async () => {
    const slowButInTime: ReadinessCheck = {
      name: 'vault',
      check: () => new Promise((r) => setTimeout(r, 20)),
    };
    const res = await probe([passing, slowButInTime], '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.postgres).toEqual({ status: 'ok', latency_ms: expect.any(Number) });
    expect(res.body.checks.vault.latency_ms).toBeGreaterThanOrEqual(15);
  });

  it('/readyz is 503 naming the failing and timed-out checks, without their error text', async () => {
    const started = Date.now();
    const res = await probe([passing, failing, hanging], '/readyz');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['redis', 'chroma']);
    expect(res.body.checks.redis.status).toBe('failed');
    expect(res.body.checks.chroma.status).toBe('timeout');
    expect(res.body.checks.postgres.status).toBe('ok');
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });

  it('a check that throws synchronously fails instead of crashing the probe', async () => {
    const res = await probe(
      [
        {
          name: 'sync',
          check: () => {
            throw new Error('boom');
          },
        },
      ],
      '/readyz',
    );
    expect(res.status).toBe(503);
    expect(res.body.failing).toEqual(['sync']);
  });

  it('declines other paths and refuses other methods', async () => {
    expect((await probe([], '/graphql')).status).toBe(418);
    expect((await probe([], '/readyz', { method: 'POST' })).status).toBe(405);
  });
});
