// What the gateway costs on a subscription fan-out: N graphql-ws subscribers to messageAdded (with the author from
// identity) × M sendMessage mutations through the gateway, against the same fan-out done on the event bus alone.
// node tests/bench/subscription-fanout.bench.ts   (BENCH_SUBSCRIBERS, BENCH_EVENTS, BENCH_SECONDS: deadline per
// row; BENCH_TOPOLOGIES=embedded,distributed adds the distributed row, which at full size on 2 cores needs longer
// than the 90s default to send all events: BENCH_SECONDS=180)
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createEvent, EventTypes, type EventBus } from '@sting/kit';
import type { RunningPlatform } from '@sting/gateway';
import {
  graphql,
  login,
  settle,
  startBenchPlatform,
  startBenchStack,
  startSubgraphServices,
  type SubgraphServices,
  type Topology,
} from './bench-platform.ts';
import { benchSeconds, fixed, percentile, table } from './measure.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS) || 500;
const EVENTS = Number(process.env.BENCH_EVENTS) || 100;
const deadlineSeconds = benchSeconds(90);
const topologies = (process.env.BENCH_TOPOLOGIES ?? 'embedded').split(',') as Topology[];
const SUBSCRIPTION =
  'subscription ($c: ID!) { messageAdded(conversationId: $c) { id text author { displayName } } }';
const SEND = 'mutation ($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { id } }';

/**
 * Send and receive times of one row. Events are sent one at a time, the next once every subscriber has the
 * previous one (or the deadline passed), so a latency is one event's fan-out, not a queue of earlier ones.
 */
class Deliveries {
  readonly sentAt = new Array<number>(EVENTS).fill(NaN);
  readonly perSubscriber = new Int32Array(SUBSCRIBERS);
  readonly perEvent = new Int32Array(EVENTS);
  readonly latencies: number[] = [];
  deadline = Infinity;
  sent = 0;
  delivered = 0;
  faults = 0;
  lastAt = 0;
  #waiting: { index: number; resolve: () => void } | undefined;

  receive(subscriber: number, index: number): void {
    const now = performance.now();
    if (!(index >= 0 && index < EVENTS)) return void this.faults++;
    this.perSubscriber[subscriber]++;
    this.latencies.push(now - this.sentAt[index]);
    this.delivered++;
    this.lastAt = now;
    if (++this.perEvent[index] >= SUBSCRIBERS && this.#waiting?.index === index) this.#waiting.resolve();
  }

  /** Marks event `index` sent, runs `send`, and waits until it reached everyone; false once out of time. */
  async send(index: number, send: () => Promise<void>): Promise<boolean> {
    const everyone = new Promise<void>((resolve) => (this.#waiting = { index, resolve }));
    this.sentAt[index] = performance.now();
    if (index === 0) this.deadline = this.sentAt[0] + deadlineSeconds * 1000;
    await send();
    this.sent++;
    if (this.perEvent[index] < SUBSCRIBERS) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>(
        (resolve) => (timer = setTimeout(resolve, this.deadline - performance.now())),
      );
      await Promise.race([everyone, late]);
      clearTimeout(timer);
    }
    this.#waiting = undefined;
    return this.perEvent[index] >= SUBSCRIBERS && performance.now() < this.deadline;
  }

  summary(name: string): string[] {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const seconds = (this.lastAt - this.sentAt[0]) / 1000;
    const complete = this.perSubscriber.filter((count) => count === EVENTS).length;
    return [
      name,
      `${this.sent}/${EVENTS}`,
      `${this.delivered}/${SUBSCRIBERS * EVENTS}`,
      `${complete}/${SUBSCRIBERS}`,
      String(this.faults),
      fixed(this.delivered / seconds, 0),
      fixed(percentile(sorted, 50), 2),
      fixed(percentile(sorted, 99), 2),
    ];
  }
}

const indexOf = (text: string) => Number(text.slice(text.lastIndexOf(' ') + 1));

/** Baseline: SUBSCRIBERS bus subscriptions on a topic of its own, EVENTS publishes of a chat-like event. */
async function busFanout(bus: EventBus): Promise<Deliveries> {
  const row = new Deliveries();
  const topic = `bench.fanout.${process.pid}`;
  const subscriptions = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, () => bus.subscribe<any>(topic)),
  );
  const consumers = subscriptions.map(async (subscription, s) => {
    for await (const { payload: event } of subscription) {
      row.receive(s, indexOf(event.text));
      if (row.perSubscriber[s] === EVENTS) break;
    }
  });
  for (let i = 0; i < EVENTS; i++) {
    const createdAt = new Date().toISOString();
    const event = {
      id: `m${i}`,
      conversationId: 'c',
      role: 'USER',
      text: `bench ${i}`,
      authorId: 'u',
      createdAt,
    };
    const envelope = createEvent(EventTypes.chatMessageCreated, event, { source: 'chat' });
    if (!(await row.send(i, () => bus.publish(topic, envelope)))) break;
  }
  for (const subscription of subscriptions) await subscription.return();
  await Promise.allSettled(consumers);
  return row;
}

/** SUBSCRIBERS graphql-ws clients (one socket each) on the gateway, EVENTS sendMessage mutations through it. */
async function gatewayFanout(url: string, token: string, bus: EventBus): Promise<Deliveries> {
  const row = new Deliveries();
  const started = await graphql(
    url,
    'mutation { startConversation(title: "fan-out") { id } }',
    undefined,
    token,
  );
  if (started.errors) throw new Error(`startConversation: ${started.errors[0].message}`);
  const conversationId = started.data.startConversation.id as string;
  const baseline = bus.listenerCount();
  const clients: Client[] = [];
  // Identical subscribers share one upstream, so bus listeners no longer count them: a subscriber is live once it
  // has received a warm-up message (those are not counted as deliveries).
  const warmed = new Uint8Array(SUBSCRIBERS);
  let warmedCount = 0;
  try {
    // Batches of 50, each connected before the next, so the handshakes do not all queue at once.
    for (let s = 0; s < SUBSCRIBERS; s++) {
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      clients.push(client);
      client.subscribe<any>(
        { query: SUBSCRIPTION, variables: { c: conversationId } },
        {
          next: (value) => {
            const message = value.data?.messageAdded;
            // Bee answers every message (author null); only the bench's own messages are timed.
            if (!value.errors && message && message.author === null) return;
            if (value.errors || typeof message?.author?.displayName !== 'string') row.faults++;
            else if (!message.text.startsWith('warm-up')) row.receive(s, indexOf(message.text));
            else if (!warmed[s]) {
              warmed[s] = 1;
              warmedCount++;
            }
          },
          error: () => row.faults++,
          complete: () => undefined,
        },
      );
      if ((s + 1) % 50 === 0 || s === SUBSCRIBERS - 1) {
        const ready = await settle(() => bus.listenerCount() > baseline, 30_000);
        if (!ready) throw new Error('no upstream subscription opened');
      }
    }
    const warmUntil = performance.now() + 30_000;
    for (let w = 0; warmedCount < SUBSCRIBERS; w++) {
      if (performance.now() > warmUntil)
        throw new Error(`only ${warmedCount} of ${SUBSCRIBERS} subscriptions live`);
      const sent = await graphql(url, SEND, { c: conversationId, t: `warm-up ${w}` }, token);
      if (sent.errors) throw new Error(`sendMessage: ${sent.errors[0].message}`);
      await settle(() => warmedCount === SUBSCRIBERS, 250);
    }
    const mutation = async (i: number) => {
      const sent = await graphql(url, SEND, { c: conversationId, t: `bench ${i}` }, token);
      if (sent.errors) throw new Error(`sendMessage: ${sent.errors[0].message}`);
    };
    for (let i = 0; i < EVENTS; i++) if (!(await row.send(i, () => mutation(i)))) break;
  } finally {
    await Promise.allSettled(clients.map((client) => client.dispose()));
    const freed = await settle(() => bus.listenerCount() === baseline, 30_000);
    if (!freed) process.stderr.write(`[bench] ${bus.listenerCount() - baseline} bus listeners left open\n`);
  }
  return row;
}

const stack = await startBenchStack();
let platform: RunningPlatform | undefined;
let services: SubgraphServices | undefined;
const rows: string[][] = [];
try {
  for (const topology of topologies) {
    services = topology === 'distributed' ? await startSubgraphServices(stack) : undefined;
    platform = await startBenchPlatform(stack, topology, { services });
    const token = await login(platform.url);
    // The bus the chat subgraph publishes on: the platform's own when embedded, the services' when distributed.
    const bus = services?.bus ?? platform.bus;
    if (rows.length === 0) {
      process.stderr.write('[bench] baseline: bus fan-out\n');
      rows.push(
        (await busFanout(bus)).summary(`event bus only (${stack.redisUrl ? 'Redis' : 'in-process'})`),
      );
    }
    process.stderr.write(`[bench] gateway fan-out, ${topology}\n`);
    rows.push((await gatewayFanout(platform.url, token, bus)).summary(`gateway, ${topology}`));
    await platform.stop();
    platform = undefined;
    await services?.stop();
    services = undefined;
  }
  const base = rows[0];
  const lines = rows.map((row) => [
    ...row,
    fixed(Number(row[5]) / Number(base[5]), 3),
    fixed(Number(row[6]) / Number(base[6]), 0),
  ]);
  process.stdout.write(
    `\nsubscription fan-out: ${SUBSCRIBERS} subscribers × ${EVENTS} events\n${SUBSCRIPTION}\n` +
      'gateway rows: one graphql-ws socket per subscriber, events are sendMessage mutations through the gateway, ' +
      'each sent once the previous one reached every subscriber; baseline: the same counts as bus subscriptions ' +
      'and publishes\nlatency: send (mutation issued / publish called) to receipt by a subscriber, all in this process\n\n',
  );
  const header = [
    'path',
    'events sent',
    'delivered/expected',
    'complete subs',
    'faults',
    'msgs/s',
    'p50 ms',
    'p99 ms',
  ];
  process.stdout.write(table([...header, 'msgs/s ÷ bus', 'p50 ÷ bus'], lines) + '\n');
} finally {
  await platform?.stop();
  await services?.stop();
  await stack.stop();
}
