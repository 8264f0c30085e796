// What the gateway costs on a subscription fan-out: N graphql-ws subscribers to messageAdded (with the author from
// identity) × M sendMessage mutations through the gateway, against the same fan-out done on the event bus alone.
// The subscribers run in a process of their own (fanout-subscribers.ts), as clients would; latency is reported from
// the mutation being issued (end to end, including writing the message) and from the event's publish on the bus
// (the fan-out itself, which the goal of p99 under 50 ms for 1,000 subscribers × 100 events is about).
// node tests/bench/subscription-fanout.bench.ts   (BENCH_SUBSCRIBERS, default 1000; BENCH_EVENTS; BENCH_SECONDS:
// deadline per row; BENCH_TOPOLOGIES=embedded,distributed adds the distributed row, which at full size on 2 cores
// needs longer than the 90s default to send all events: BENCH_SECONDS=180)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createEvent, EventTypes, Topics, type EventBus } from '@sting/kit';
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
import type { FromParent, FromSubscribers } from './fanout-subscribers.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS) || 1000;
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

  /** The bus row: publishing is the send, so both latencies are the same. */
  result(): GatewayRow {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      sent: this.sent,
      delivered: this.delivered,
      complete: this.perSubscriber.filter((count) => count === EVENTS).length,
      faults: this.faults,
      msgsPerSecond: this.delivered / ((this.lastAt - this.sentAt[0]) / 1000),
      fromSend: sorted,
      fromPublish: sorted,
    };
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

/** Latencies of one gateway row: from the mutation being issued, and from the event's publish on the bus. */
interface GatewayRow {
  sent: number;
  delivered: number;
  complete: number;
  faults: number;
  msgsPerSecond: number;
  fromSend: number[];
  fromPublish: number[];
}

/**
 * SUBSCRIBERS graphql-ws clients (one socket each, in their own process: fanout-subscribers.ts) on the gateway,
 * EVENTS sendMessage mutations through it, each sent once every subscriber has the previous one.
 */
async function gatewayFanout(url: string, token: string, bus: EventBus): Promise<GatewayRow> {
  const now = () => performance.timeOrigin + performance.now();
  const started = await graphql(
    url,
    'mutation { startConversation(title: "fan-out") { id } }',
    undefined,
    token,
  );
  if (started.errors) throw new Error(`startConversation: ${started.errors[0].message}`);
  const conversationId = started.data.startConversation.id as string;
  const baseline = bus.listenerCount();
  const child = fork(
    new URL('./fanout-subscribers.ts', import.meta.url),
    [url.replace('http', 'ws'), token, conversationId, String(SUBSCRIBERS), String(EVENTS)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const waiters = new Map<string, () => void>();
  let report: Extract<FromSubscribers, { type: 'report' }> | undefined;
  child.on('message', (message: FromSubscribers) => {
    if (message.type === 'report') report = message;
    const key = message.type === 'everyone' ? `everyone ${message.index}` : message.type;
    waiters.get(key)?.();
  });
  const exited = once(child, 'exit');
  /** Resolves true when the child says `key`, false after `ms`. */
  const heard = (key: string, ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, ms));
      waiters.set(key, () => {
        clearTimeout(timer);
        waiters.delete(key);
        resolve(true);
      });
    });
  // The bench's own bus listener: when each event was published, which the subscribers' latency is also measured from.
  const publishedAt = new Array<number>(EVENTS).fill(NaN);
  let published: { return(): Promise<unknown> } | undefined;
  const sentAt = new Array<number>(EVENTS).fill(NaN);
  let sent = 0;
  try {
    if (!(await heard('connected', 60_000))) throw new Error('the subscribers did not connect');
    const ready = await settle(() => bus.listenerCount() > baseline, 30_000);
    if (!ready) throw new Error('no upstream subscription opened');
    // Identical subscribers share one upstream, so bus listeners do not count them: every subscriber is live once
    // it has received a warm-up message (those are not counted as deliveries).
    const warmed = heard('warmed', 60_000);
    let done = false;
    void warmed.then(() => (done = true));
    for (let w = 0; !done; w++) {
      if (w > 200) throw new Error('the subscribers never all received a warm-up message');
      const reply = await graphql(url, SEND, { c: conversationId, t: `warm-up ${w}` }, token);
      if (reply.errors) throw new Error(`sendMessage: ${reply.errors[0].message}`);
      await Promise.race([warmed, new Promise((resolve) => setTimeout(resolve, 250))]);
    }
    const subscription = await bus.subscribe<any>(Topics.chat.messageAdded(conversationId));
    published = subscription;
    void (async () => {
      for await (const { payload } of subscription) {
        const text = String(payload?.text ?? '');
        if (text.startsWith('bench ')) publishedAt[indexOf(text)] = now();
      }
    })();
    const deadline = performance.now() + deadlineSeconds * 1000;
    for (let i = 0; i < EVENTS; i++) {
      const everyone = heard(`everyone ${i}`, deadline - performance.now());
      sentAt[i] = now();
      const reply = await graphql(url, SEND, { c: conversationId, t: `bench ${i}` }, token);
      if (reply.errors) throw new Error(`sendMessage: ${reply.errors[0].message}`);
      sent++;
      if (!(await everyone)) break;
    }
    const reported = heard('report', 30_000);
    child.send({ type: 'report' } satisfies FromParent);
    if (!(await reported) || !report) throw new Error('the subscribers did not report');
  } finally {
    await published?.return();
    if (child.connected) child.send({ type: 'close' } satisfies FromParent);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    child.kill();
    const freed = await settle(() => bus.listenerCount() === baseline, 30_000);
    if (!freed) process.stderr.write(`[bench] ${bus.listenerCount() - baseline} bus listeners left open\n`);
  }
  const fromSend: number[] = [];
  const fromPublish: number[] = [];
  let last = 0;
  report.receipts.forEach((times, i) => {
    for (const at of times) {
      fromSend.push(at - sentAt[i]);
      if (Number.isFinite(publishedAt[i])) fromPublish.push(at - publishedAt[i]);
      last = Math.max(last, at);
    }
  });
  const delivered = fromSend.length;
  return {
    sent,
    delivered,
    complete: report.perSubscriber.filter((n) => n === EVENTS).length,
    faults: report.faults,
    msgsPerSecond: delivered / ((last - sentAt[0]) / 1000),
    fromSend: fromSend.sort((a, b) => a - b),
    fromPublish: fromPublish.sort((a, b) => a - b),
  };
}

function summary(name: string, row: GatewayRow): string[] {
  return [
    name,
    `${row.sent}/${EVENTS}`,
    `${row.delivered}/${SUBSCRIBERS * EVENTS}`,
    `${row.complete}/${SUBSCRIBERS}`,
    String(row.faults),
    fixed(row.msgsPerSecond, 0),
    fixed(percentile(row.fromSend, 50), 2),
    fixed(percentile(row.fromSend, 99), 2),
    fixed(percentile(row.fromPublish, 50), 2),
    fixed(percentile(row.fromPublish, 99), 2),
  ];
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
        summary(
          `event bus only (${stack.redisUrl ? 'Redis' : 'in-process'})`,
          (await busFanout(bus)).result(),
        ),
      );
    }
    process.stderr.write(`[bench] gateway fan-out, ${topology}\n`);
    rows.push(summary(`gateway, ${topology}`, await gatewayFanout(platform.url, token, bus)));
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
      "and publishes\nlatency: from the send (mutation issued / publish called), and from the event's publish on the bus, " +
      "to receipt by a subscriber; the gateway rows' subscribers run in a process of their own\n\n",
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
    'p50 from publish',
    'p99 from publish',
  ];
  process.stdout.write(table([...header, 'msgs/s ÷ bus', 'p50 ÷ bus'], lines) + '\n');
} finally {
  await platform?.stop();
  await services?.stop();
  await stack.stop();
}
