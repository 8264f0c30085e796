// The subscribers of subscription-fanout.bench.ts, in a process of their own as clients would be on their own
// machines: N graphql-ws sockets to the gateway, each subscribed to one conversation's messageAdded. Receipt times
// are wall-clock milliseconds (timeOrigin + now, comparable across processes on one machine); the parent is told
// when every subscriber has an event (so it sends the next), and gets every receipt time when it asks for them.
// Started by the bench with an IPC channel: argv = url token conversationId subscribers events.
import { once } from 'node:events';
import WebSocket from 'ws';

export type FromParent = { type: 'report' } | { type: 'close' };
export type FromSubscribers =
  | { type: 'connected' }
  | { type: 'warmed' }
  | { type: 'everyone'; index: number }
  | { type: 'report'; receipts: number[][]; perSubscriber: number[]; faults: number };

const [url, token, conversationId, subscribersArg, eventsArg] = process.argv.slice(2);
const SUBSCRIBERS = Number(subscribersArg);
const EVENTS = Number(eventsArg);
const SUBSCRIPTION =
  'subscription ($c: ID!) { messageAdded(conversationId: $c) { id text author { displayName } } }';

const send = (message: FromSubscribers) => process.send!(message);
const now = () => performance.timeOrigin + performance.now();
const indexOf = (text: string) => Number(text.slice(text.lastIndexOf(' ') + 1));

/** receipts[event][k]: when the k-th subscriber to get the event got it. */
const receipts: number[][] = Array.from({ length: EVENTS }, () => []);
const perSubscriber = new Int32Array(SUBSCRIBERS);
const warmed = new Uint8Array(SUBSCRIBERS);
let warmedCount = 0;
let faults = 0;

function receive(subscriber: number, value: { data?: any; errors?: unknown }): void {
  const at = now();
  const message = value.data?.messageAdded;
  // Bee answers every message (author null); only the bench's own messages count.
  if (!value.errors && message && message.author === null) return;
  if (value.errors || typeof message?.author?.displayName !== 'string') return void faults++;
  if (message.text.startsWith('warm-up')) {
    if (!warmed[subscriber]) {
      warmed[subscriber] = 1;
      if (++warmedCount === SUBSCRIBERS) send({ type: 'warmed' });
    }
    return;
  }
  const index = indexOf(message.text);
  if (!(index >= 0 && index < EVENTS)) return void faults++;
  perSubscriber[subscriber]++;
  const got = receipts[index];
  got.push(at);
  if (got.length === SUBSCRIBERS) send({ type: 'everyone', index });
}

// Each socket speaks graphql-transport-ws directly (init, ack, one subscribe, then next messages): the library
// client validates every message, which for 1,000 sockets in one process would time the clients, not the gateway.
let opened = 0;
const sockets: WebSocket[] = [];
function connect(subscriber: number): void {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  sockets.push(socket);
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
  );
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'next') return receive(subscriber, message.payload);
    if (message.type === 'connection_ack') {
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: SUBSCRIPTION, variables: { c: conversationId } },
        }),
      );
      if (++opened === SUBSCRIBERS) send({ type: 'connected' });
    } else if (message.type === 'error') faults++;
    else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
  });
  socket.on('error', () => void faults++);
}
for (let s = 0; s < SUBSCRIBERS; s++) {
  connect(s);
  // Batches of 50, so the handshakes do not all queue at once.
  if ((s + 1) % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

process.on('message', async (message: FromParent) => {
  if (message.type === 'report')
    send({ type: 'report', receipts, perSubscriber: Array.from(perSubscriber), faults });
  else {
    await Promise.allSettled(
      sockets.map(async (socket) => {
        if (socket.readyState === WebSocket.CLOSED) return;
        const closed = once(socket, 'close');
        socket.close(1000);
        await closed;
      }),
    );
    process.disconnect();
  }
});
