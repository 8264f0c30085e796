// Traces across real processes: `npm start` in the distributed topology with observability.tracing pointing at a
// stand-in OTLP/HTTP collector. One request sent with a client's traceparent arrives at the collector as one trace
// whose spans come from the gateway process and from each subgraph process it fetched from, each subgraph's span
// the child of the gateway's fetch span (traceparent crossed the HTTP hop).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { freePort } from '@sting/ops/services/readiness.ts';
import { SubgraphNames } from '@sting/kit';
import { freshDatabase, postGraphQL } from './platform.ts';
import { eventually } from '@sting/kit/testing';
import { createHoneyJar, launchPlatform, type LaunchedPlatform } from './launcher.ts';
import { startStandInCollector, type StandInCollector } from '../standins/otlp-collector.ts';

const requiredEnv = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the jest setup provides it)`);
  return value;
};

describe('traces across the processes of the distributed topology', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let collector: StandInCollector;
  let launched: LaunchedPlatform;
  beforeAll(async () => {
    database = await freshDatabase();
    collector = await startStandInCollector();
    const subgraphs: Record<string, string> = {};
    for (const name of SubgraphNames) subgraphs[name] = `http://127.0.0.1:${await freePort()}/graphql`;
    launched = await launchPlatform({
      topology: 'distributed',
      config: {
        gateway: { subgraphs },
        observability: { tracing: { enabled: true, otlpUrl: collector.url, serviceName: 'sting' } },
      },
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: requiredEnv('REDIS_URL'),
        CHROMA_URL: requiredEnv('CHROMA_URL'),
      },
    });
  }, 180_000);
  afterAll(async () => {
    await launched?.stop();
    await collector?.close();
    await database?.drop();
  });

  it('joins the gateway and subgraph processes in one trace', async () => {
    await createHoneyJar(launched.url, launched.token, 'Across processes');
    const traceId = randomBytes(16).toString('hex');
    const { body } = await postGraphQL(
      launched.url,
      '{ honeyJars { nodes { name owner { displayName } } } }',
      {
        authorization: `Bearer ${launched.token}`,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
    );
    expect(body.errors).toBeUndefined();
    const spans = () => collector.spans.filter((s) => s.traceId === traceId);
    /** The subgraph's spans serving the request whose parent is a gateway fetch span of the same trace. */
    const servedUnderFetch = (subgraph: string) => {
      const byId = new Map(spans().map((s) => [s.spanId, s]));
      return spans().filter((s) => {
        if (s.service !== `sting-${subgraph}` || s.name !== `subgraph ${subgraph}`) return false;
        const parent = byId.get(s.parentSpanId);
        return parent?.service === 'sting' && parent.name === 'gateway.fetch';
      });
    };
    const honeyJarsQueries = () =>
      spans().filter((s) => s.service === 'sting-honey-jars' && s.name.startsWith('pg '));
    // Each process exports its spans in batches of its own, a second apart at most: a process's first batch of
    // the trace may arrive before the one holding the span another's hangs under, so all of it is waited for.
    await eventually(
      () =>
        servedUnderFetch('honey-jars').length > 0 &&
        servedUnderFetch('identity').length > 0 &&
        honeyJarsQueries().length > 0,
      20_000,
    );
    const services = new Set(spans().map((s) => s.service));
    for (const service of ['sting', 'sting-honey-jars', 'sting-identity'])
      expect(services).toContain(service);
    for (const subgraph of ['honey-jars', 'identity'])
      expect(servedUnderFetch(subgraph).length).toBeGreaterThan(0);
    // The honey-jars process's database queries are in the same trace.
    expect(honeyJarsQueries().length).toBeGreaterThan(0);
  }, 60_000);
});
