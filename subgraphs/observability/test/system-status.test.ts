// systemStatus against real servers: PostgreSQL and Redis up, a Redis at a closed port and a subgraph that never
// answers reported DOWN with the reason (never as an error), and the detail shown to administrators only. Reads
// share checks: however many come at once, or as aliases, one check runs, and its result answers reads for the
// freshness window; the periodic health check joins the same checks.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { SubgraphConfig } from '@sting/kit';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort as closedPort } from '@sting/kit/runtime/free-port.ts';
import { countQueries } from '@sting/kit/testing';
import { createObservabilitySubgraph, defaultProbes, redisProbe, type Probe } from '../src/index.ts';
import { checkSystem } from '../src/domain/status/system-status.ts';
import { StatusCache } from '../src/domain/status/status-cache.ts';
import { HealthWatch } from '../src/domain/rules/component-down.ts';
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

describe('status reads share checks', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** A component whose checks the test counts; each takes a moment, as a real one over the network does. */
  const counted = () => {
    const probe = {
      checks: 0,
      name: 'counted',
      kind: 'CACHE' as const,
      async check() {
        probe.checks += 1;
        await sleep(50);
        return { up: true, detail: `check ${probe.checks}` };
      },
    };
    return probe satisfies Probe;
  };
  const aliased = (fields: string, count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `s${i}: systemStatus { ${fields} }`).join(' ')} }`;

  let obs: ObservabilityHarness;
  const probe = counted();
  beforeAll(async () => {
    obs = await startObservability({
      module: createObservabilitySubgraph({ probes: () => [probe] }),
      config: { topology: 'embedded', status: { freshnessSeconds: 0.5 } },
    });
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('checks once for many requests at once, each with many aliases, and again after the freshness window', async () => {
    const query = aliased('status checkedAt', 20);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => obs.run(buildViewer(i % 2 ? 'VIEWER' : 'ADMIN'), query)),
    );
    expect(answers.map((answer) => answer.errors)).toEqual(Array(10).fill(undefined));
    expect(probe.checks).toBe(1);
    const checkedAt = new Set(
      answers.flatMap((answer) => Object.values(answer.data).map((s: any) => s.checkedAt)),
    );
    expect(checkedAt.size).toBe(1);

    // Within the window a read answers from the same check.
    const again = await obs.run(buildViewer('ADMIN'), STATUS);
    expect(probe.checks).toBe(1);
    expect(again.data.systemStatus.components[0].detail).toBe('check 1');

    // After it, the next read checks again, and what it shows is that check.
    await sleep(600);
    const later = await obs.run(buildViewer('ADMIN'), STATUS);
    expect(probe.checks).toBe(2);
    expect(later.data.systemStatus.components[0].detail).toBe('check 2');
    expect(Date.parse(later.data.systemStatus.checkedAt)).toBeGreaterThan(Date.parse([...checkedAt][0]));
  });

  it('reads the history once for every alias of a request', async () => {
    const { result, queries } = await countQueries(obs.orm, () =>
      obs.run(buildViewer('ADMIN'), aliased('history { component }', 20)),
    );
    expect(result.errors).toBeUndefined();
    expect(queries.filter((sql) => /component_transition/.test(sql))).toHaveLength(1);
  });

  it('lets the health check join a read’s check, and its result answer the reads after it', async () => {
    const own = counted();
    const cache = new StatusCache(() => [own], 60);
    const watch = new HealthWatch({
      orm: obs.runtime.orm as never,
      status: cache,
      settings: { enabled: true, intervalSeconds: 30, consecutiveChecks: 3 },
      origin: 'observability',
    });
    const [read, round] = await Promise.all([cache.read(), watch.check()]);
    expect(own.checks).toBe(1);
    expect(round).toEqual(read.components);
    // A round never takes a finished check: it checks anew, and the reads after it get what it found.
    await watch.check();
    expect(own.checks).toBe(2);
    expect((await cache.read()).components[0].detail).toBe('check 2');
    expect(own.checks).toBe(2);
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
