// `npm start` with the distributed topology, as a user runs it: the launcher starts each subgraph as its own
// process, the gateway federates them (events cross Redis), a killed subgraph is restarted while the gateway
// keeps answering (partial data meanwhile, nothing lost), and SIGTERM leaves no process behind.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { NODE_FLAGS } from '@sting/kit/runtime/node-flags.ts';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort, isProcessAlive } from '@sting/ops/services/readiness.ts';
import { RedisEventBus, SubgraphNames, Topics } from '@sting/kit';
import { freshDatabase, graphql, waitFor } from './platform.ts';
import { createHoneyJar, launchPlatform, type LaunchedPlatform } from './launcher.ts';
import { startOutageLoad, tally } from './outage-load.ts';

const names = SubgraphNames;

describe('npm start, distributed topology', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let launched: LaunchedPlatform;
  let launcher: ChildProcess;
  let url: string;
  let token: string;
  const output = () => launched.output();

  beforeAll(async () => {
    database = await freshDatabase();
    const subgraphs: Record<string, string> = {};
    for (const name of names) subgraphs[name] = `http://127.0.0.1:${await freePort()}/graphql`;
    launched = await launchPlatform({
      topology: 'distributed',
      config: { gateway: { subgraphs } },
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: requiredEnv('REDIS_URL'),
        CHROMA_URL: requiredEnv('CHROMA_URL'),
      },
    });
    ({ url, token, process: launcher } = launched);
  }, 180_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) launcher.kill('SIGKILL');
    await launched?.stop();
    await database?.drop();
  });

  it('prints each subgraph ready at its configured URL, each its own process', () => {
    for (const name of names)
      expect(output()).toMatch(new RegExp(`${name} ready at http://127\\.0\\.0\\.1:\\d+/graphql`));
    expect(subgraphPids()).toHaveLength(names.length);
    expect(new Set(subgraphPids()).has(launcher.pid!)).toBe(false);
  });

  it("runs each subgraph process with the platform's V8 flags", () => {
    for (const pid of subgraphPids()) {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      for (const flag of NODE_FLAGS)
        expect({ pid, flag, given: args.includes(flag) }).toEqual({ pid, flag, given: true });
    }
  });

  it('federates honey jars with their owners across the subgraph processes', async () => {
    const created = await graphql(
      url,
      'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
      { n: 'Distributed' },
      token,
    );
    expect(created.errors).toBeUndefined();
    const result = await graphql(
      url,
      '{ honeyJars { nodes { name owner { displayName } } } }',
      undefined,
      token,
    );
    expect(result.errors).toBeUndefined();
    const jar = result.data.honeyJars.nodes.find((n: { name: string }) => n.name === 'Distributed');
    expect(typeof jar?.owner.displayName).toBe('string');
  });

  it('delivers messageAdded with its author over Redis', async () => {
    const started = await graphql(url, 'mutation { startConversation(title: "t") { id } }', undefined, token);
    expect(started.errors).toBeUndefined();
    const conversationId = started.data.startConversation.id;
    const client = createClient({
      url: url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    try {
      const events = client.iterate({
        query: 'subscription ($c: ID!) { messageAdded(conversationId: $c) { text author { displayName } } }',
        variables: { c: conversationId },
      });
      // Bee answers each message too (its ASSISTANT message is also messageAdded): look for the person's own.
      const received: { text: string; author: { displayName: unknown } | null }[] = [];
      void (async () => {
        for await (const event of events) {
          expect(event.errors).toBeUndefined();
          received.push((event.data as any).messageAdded);
        }
      })().catch(() => undefined);
      const mine = () => received.find((message) => /^hello \d+$/.test(message.text));
      // The upstream subscription to chat is opened asynchronously; send until one of ours is seen.
      for (let attempt = 0; attempt < 20 && !mine(); attempt += 1) {
        const sent = await graphql(
          url,
          'mutation ($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { id } }',
          { c: conversationId, t: `hello ${attempt}` },
          token,
        );
        expect(sent.errors).toBeUndefined();
        await waitFor(() => mine() !== undefined, 1000).catch(() => undefined);
      }
      expect(typeof mine()?.author?.displayName).toBe('string');
      await events.return?.(undefined);
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('restarts a killed subgraph under load: no refused connection, partial answers meanwhile, nothing lost', async () => {
    const bus = new RedisEventBus(requiredEnv('REDIS_URL'), { name: 'outage-test' });
    const announced = new Set<string>();
    const events = await bus.subscribe<{ honeyJarId: string }>(Topics.honeyJar.created);
    void (async () => {
      for await (const event of events) announced.add(event.payload.honeyJarId);
    })();
    const jar = await graphql(
      url,
      'mutation { createHoneyJar(input: { name: "steady" }) { id } }',
      undefined,
      token,
    );
    // Nullable fields: while honey-jars is away its field is null with an error, and identity's `me` still answers.
    const load = startOutageLoad({
      url,
      token,
      query: `{ me { email } honeyJar(id: "${jar.data.createHoneyJar.id}") { id } }`,
      write: (attempt) => createHoneyJar(url, token, `outage ${attempt}`),
    });
    try {
      await waitFor(() => load.samples.length > 10, 5000);
      const [pid] = pidsOf('honey-jars');
      const killedAt = Date.now();
      process.kill(pid as number, 'SIGKILL');
      // Meanwhile /readyz names what is down.
      await waitFor(async () => {
        const ready = await fetch(new URL('/readyz', url));
        const body = (await ready.json()) as { failing?: string[] };
        return ready.status === 503 && (body.failing ?? []).includes('honey-jars');
      }, 5000);
      await waitFor(() => /honey-jars restarted/.test(output()), 60_000);
      const backAt = Date.now();
      await waitFor(() => load.samples.some((s) => s.at > backAt && s.outcome === 'full'), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await load.stop();
      const outage = tally(load.samples, killedAt, backAt);
      const all = tally(load.samples);
      const failed = load.samples.find((s) => s.outcome === 'refused' || s.outcome === 'server-error');
      expect({ refused: all.refused, serverErrors: all['server-error'], example: failed?.detail }).toEqual({
        refused: 0,
        serverErrors: 0,
        example: undefined,
      });
      expect(outage.partial).toBeGreaterThan(0);
      // Full again within 10 s after the process was back, and from then on.
      const firstFull = load.samples.find((s) => s.at > backAt && s.outcome === 'full')!.at;
      expect(firstFull - backAt).toBeLessThan(10_000);
      expect(tally(load.samples, firstFull + 1000)).toMatchObject({ partial: 0, error: 0 });
      expect(pidsOf('honey-jars')).toHaveLength(2);
      // Every acknowledged write is stored and was announced on the bus (through honey-jars' outbox).
      const listed = await graphql(url, '{ honeyJars(first: 100) { nodes { id } } }', undefined, token);
      const ids = new Set((listed.data?.honeyJars?.nodes ?? []).map((n: { id: string }) => n.id));
      expect(load.written.length).toBeGreaterThan(0);
      for (const id of load.written) expect({ id, stored: ids.has(id) }).toEqual({ id, stored: true });
      await waitFor(() => load.written.every((id) => announced.has(id)), 10_000);
    } finally {
      await load.stop();
      await events.return();
      await bus.close();
    }
  }, 120_000);

  it('stops on SIGTERM with no child process left', async () => {
    const children = [...childrenOf(launcher.pid!), ...subgraphPids()];
    expect(children.length).toBeGreaterThanOrEqual(names.length);
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
    launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toContain('[sting] stopped');
    for (const pid of children) expect({ pid, alive: isProcessAlive(pid) }).toEqual({ pid, alive: false });
  }, 60_000);

  function subgraphPids(): number[] {
    const restarted = [...output().matchAll(/\] [a-z-]+ restarted \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    return [...output().matchAll(/ ready at \S+ \(\d+ms, pid (\d+)\)/g)]
      .map((m) => Number(m[1]))
      .concat(restarted);
  }

  /** The pids a subgraph has had: the first start's, then each restart's. */
  function pidsOf(name: string): number[] {
    const first = new RegExp(`${name} ready at \\S+ \\(\\d+ms, pid (\\d+)\\)`, 'g');
    const again = new RegExp(`${name} restarted \\(pid (\\d+)\\)`, 'g');
    return [...output().matchAll(first), ...output().matchAll(again)].map((m) => Number(m[1]));
  }
});

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim())
      .map(Number);
  } catch {
    return [];
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the Jest global setup provides it)`);
  return value;
}
