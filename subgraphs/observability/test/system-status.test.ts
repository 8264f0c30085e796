// systemStatus against real servers: PostgreSQL and Redis up, a Redis at a closed port and a subgraph that never
// answers reported DOWN with the reason (never as an error), and the detail shown to administrators only.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { SubgraphConfig } from '@sting/kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort as closedPort } from '@sting/kit/runtime/free-port.ts';
import { createObservabilitySubgraph, defaultProbes, redisProbe } from '../src/index.ts';
import { checkSystem } from '../src/domain/status/system-status.ts';
import { buildViewer, redisUrl, startObservability, type ObservabilityHarness } from './harness.ts';

const STATUS = `{ systemStatus { status checkedAt components { name kind up latencyMs detail } } }`;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('systemStatus in the embedded topology', () => {
  let obs: ObservabilityHarness;
  let deadRedis: string;
  let chroma: Server;
  beforeAll(async () => {
    deadRedis = `redis://127.0.0.1:${await closedPort()}`;
    // Stands in for Chroma's heartbeat, so what is configured (and what answers) is this test's own choice.
    chroma = createServer((req, res) => {
      res.writeHead(req.url === '/api/v2/heartbeat' ? 200 : 404).end('{"nanosecond heartbeat":1}');
    });
    const chromaUrl = `http://127.0.0.1:${await listen(chroma)}`;
    obs = await startObservability({
      config: { topology: 'embedded', redis: { url: deadRedis }, chroma: { url: chromaUrl } },
    });
  });
  afterAll(async () => {
    await obs?.close();
    chroma?.closeAllConnections();
    await new Promise((resolve) => chroma?.close(resolve));
  });

  it('reports PostgreSQL up with its latency and an unreachable Redis down with the reason', async () => {
    const { data, errors } = await obs.run(buildViewer('ADMIN'), STATUS);
    expect(errors).toBeUndefined();
    const components = Object.fromEntries(data.systemStatus.components.map((c: any) => [c.name, c]));
    expect(components.postgresql).toMatchObject({ kind: 'DATABASE', up: true, detail: 'select 1 answered' });
    expect(components.postgresql.latencyMs).toBeGreaterThan(0);
    expect(components.redis).toMatchObject({ kind: 'CACHE', up: false, latencyMs: null });
    expect(components.redis.detail).toMatch(/ECONNREFUSED|closed|connect/i);
    // The subgraph itself is migrated in its own (test) schema, so it answers.
    expect(components.observability).toMatchObject({ kind: 'SUBGRAPH', up: true });
    expect(components.chroma).toMatchObject({
      kind: 'VECTOR_STORE',
      up: true,
      detail: 'heartbeat answered 200',
    });
    expect(data.systemStatus.status).toBe('DEGRADED');
    expect(Date.now() - Date.parse(data.systemStatus.checkedAt)).toBeLessThan(10_000);
  });

  it('checks neither Redis nor Chroma when neither is configured', async () => {
    const probes = defaultProbes({
      ...obs.runtime,
      name: 'observability',
      config: { topology: 'embedded', chroma: { url: '' } } as SubgraphConfig<'observability'>,
    });
    const names = probes.map((probe) => probe.name);
    expect(names).toContain('postgresql');
    expect(names).not.toContain('chroma');
    expect(names).not.toContain('redis');
  });

  it('gives other signed-in people the overall status without component detail', async () => {
    const { data, errors } = await obs.run(buildViewer('VIEWER'), STATUS);
    expect(errors).toBeUndefined();
    expect(data.systemStatus).toMatchObject({ status: 'DEGRADED', components: [] });
    const anonymous = await obs.run(null, STATUS);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('systemStatus in the distributed topology', () => {
  let obs: ObservabilityHarness;
  let healthy: Server;
  let silent: Server;
  beforeAll(async () => {
    healthy = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 404).end('{"status":"ok"}');
    });
    // Accepts connections and never answers: the probe must give up on its own.
    silent = createServer(() => undefined);
    const [healthyPort, silentPort, closed] = [
      await listen(healthy),
      await listen(silent),
      await closedPort(),
    ];
    const config = {
      topology: 'distributed',
      gateway: {
        subgraphs: {
          identity: `http://127.0.0.1:${healthyPort}/graphql`,
          knowledge: `http://127.0.0.1:${silentPort}/graphql`,
          chat: `http://127.0.0.1:${closed}/graphql`,
        },
      },
      redis: { url: redisUrl },
    };
    obs = await startObservability({ config });
  });
  afterAll(async () => {
    await obs?.close();
    for (const server of [healthy, silent]) server?.closeAllConnections();
    await Promise.all([healthy, silent].map((s) => new Promise((resolve) => s?.close(resolve))));
  });

  it('asks each subgraph’s /healthz and reports which ones are down, and why', async () => {
    const { data, errors } = await obs.run(buildViewer('ADMIN'), STATUS);
    expect(errors).toBeUndefined();
    const components = Object.fromEntries(data.systemStatus.components.map((c: any) => [c.name, c]));
    expect(components.identity).toMatchObject({ kind: 'SUBGRAPH', up: true });
    expect(components.identity.detail).toMatch(/\/healthz answered 200$/);
    expect(components.knowledge).toMatchObject({
      up: false,
      latencyMs: null,
      detail: 'no answer within 2000 ms',
    });
    expect(components.chat).toMatchObject({ up: false, latencyMs: null });
    expect(components.chat.detail).toMatch(/fetch failed|ECONNREFUSED/);
    expect(components.redis).toMatchObject({ kind: 'CACHE', up: true, detail: 'PING answered PONG' });
    expect(data.systemStatus.status).toBe('DEGRADED');
  });

  it('is DOWN when no subgraph answers', async () => {
    const deadOnly = defaultProbes({
      ...obs.runtime,
      name: 'observability',
      config: {
        topology: 'distributed',
        gateway: { subgraphs: { chat: `http://127.0.0.1:${await closedPort()}/` } },
      } as SubgraphConfig<'observability'>,
    });
    const status = await checkSystem(deadOnly);
    expect(status.status).toBe('DOWN');
    expect(status.components.find((c) => c.name === 'postgresql')?.up).toBe(true);
  });
});

describe('probes supplied by the host', () => {
  it('runs the host’s probes instead of the configured ones', async () => {
    const port = await closedPort();
    const module = createObservabilitySubgraph({
      probes: () => [redisProbe(`redis://127.0.0.1:${port}`, 'sessions')],
    });
    const obs = await startObservability({
      module,
      config: { topology: 'embedded', redis: { url: redisUrl } },
    });
    try {
      const { data } = await obs.run(buildViewer('ADMIN'), STATUS);
      expect(data.systemStatus.components.map((c: any) => [c.name, c.up])).toEqual([['sessions', false]]);
      expect(data.systemStatus.status).toBe('DEGRADED');
    } finally {
      await obs.close();
    }
  });
});

describe('the Redis probe', () => {
  const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

  it.each([
    ['answers', () => redisUrl],
    ['is away', async () => `redis://127.0.0.1:${await closedPort()}`],
  ])(
    'leaves no timer running when Redis %s (a probe every few seconds must not pile them up)',
    async (state, url) => {
      const probe = redisProbe(await url());
      const before = timers();
      // A probe of a Redis that is away throws its reason; the status round reports it down.
      const up = await probe.check(new AbortController().signal).then(
        (result) => result.up,
        () => false,
      );
      expect(up).toBe(state === 'answers');
      // The socket closes a moment after the answer; ioredis's 2 s guard timer must be gone by then.
      const deadline = Date.now() + 500;
      while (timers() > before && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(timers()).toBe(before);
    },
  );
});
