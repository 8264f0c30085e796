// Loki pushes off the logging thread: the thread that logs puts each push request together (its records encoded
// as they were logged: loki-records.ts) and hands the bytes, without a copy, to one worker thread per process
// (loki-push-worker.ts), which posts them and waits for Loki's answer. The thread starts on the first push, never
// keeps the process alive while idle, and ends once no LogShipping uses it.
// Where no thread can start (or it died), batches are pushed from the calling thread as before.
import { Worker } from 'node:worker_threads';
import { PermanentBatchError } from './batch-sender.ts';
import { pushLokiRequest } from './loki-push.ts';
import type { LokiPushReply, LokiPushRequest } from './loki-push-worker.ts';

const WORKER_URL = new URL('./loki-push-worker.ts', import.meta.url);
/** How much longer than the push's own time limit an answer may take before the batch counts as failed. */
const ANSWER_GRACE_MS = 5_000;

interface Waiting {
  url: string;
  request: () => Uint8Array;
  timeoutMs: number;
  timer: NodeJS.Timeout;
  resolve(): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
}

/** `none`: no thread now (none needed yet, or ended); `main-thread`: none can run, pushes go from the caller. */
export type LokiPushThreadState = 'none' | 'running' | 'main-thread';

export class LokiPushThread {
  #workerUrl: URL;
  #thread: Thread | undefined;
  #unavailable = false;
  #users = 0;
  #nextId = 1;

  /** `workerUrl`: the thread's module (tests start one that cannot run). */
  constructor(workerUrl: URL = WORKER_URL) {
    this.#workerUrl = workerUrl;
  }

  get state(): LokiPushThreadState {
    return this.#unavailable ? 'main-thread' : this.#thread ? 'running' : 'none';
  }

  /** Counts one more user (a LogShipping); the result counts it out, ending the thread when it was the last. */
  use(): () => Promise<void> {
    this.#users++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (--this.#users === 0) await this.stop();
    };
  }

  /** Ends the thread (a later push starts another); batches it still held are pushed from this thread. */
  async stop(): Promise<void> {
    const thread = this.#thread;
    this.#thread = undefined;
    await thread?.worker.terminate();
  }

  /**
   * Pushes one request as pushLokiRequest does (same errors), from the thread when it runs. `request` puts the
   * bytes together (again, should the thread end before it answered: the first bytes went to it).
   */
  push(url: string, request: () => Uint8Array, timeoutMs = 10_000): Promise<void> {
    const thread = this.#thread ?? this.#start();
    if (!thread) return pushLokiRequest(url, request(), timeoutMs);
    const id = this.#nextId++;
    const body = request();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          settle(thread, { id, ok: false, permanent: false, message: 'the Loki push thread did not answer' }),
        timeoutMs + ANSWER_GRACE_MS,
      );
      timer.unref();
      // Held while a push is under way, so the process waits for it (as it would for its own request).
      if (thread.waiting.size === 0) thread.worker.ref();
      thread.waiting.set(id, { url, request, timeoutMs, timer, resolve, reject });
      const message: LokiPushRequest = { id, url, timeoutMs, body };
      // The bytes' own buffer (never Node's shared pool) moves to the thread, uncopied.
      thread.worker.postMessage(message, [body.buffer as ArrayBuffer]);
    });
  }

  #start(): Thread | undefined {
    if (this.#unavailable) return undefined;
    let worker: Worker;
    try {
      // None of this process's Node flags: the thread needs none, and some would stop it (--input-type).
      worker = new Worker(this.#workerUrl, { execArgv: [] });
    } catch {
      this.#unavailable = true;
      return undefined;
    }
    worker.unref();
    const thread: Thread = { worker, waiting: new Map() };
    worker.on('message', (reply: LokiPushReply) => settle(thread, reply));
    // Always followed by 'exit'.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      // Not ended by stop(): it could not start or it failed; this thread pushes from now on.
      if (this.#thread === thread) {
        this.#thread = undefined;
        this.#unavailable = true;
      }
      // Put together again here: their bytes went to the thread.
      for (const waiting of thread.waiting.values()) {
        clearTimeout(waiting.timer);
        pushLokiRequest(waiting.url, waiting.request(), waiting.timeoutMs).then(
          waiting.resolve,
          waiting.reject,
        );
      }
      thread.waiting.clear();
    });
    this.#thread = thread;
    return thread;
  }
}

function settle(thread: Thread, reply: LokiPushReply): void {
  const waiting = thread.waiting.get(reply.id);
  if (!waiting) return;
  thread.waiting.delete(reply.id);
  clearTimeout(waiting.timer);
  if (thread.waiting.size === 0) thread.worker.unref();
  if (reply.ok) waiting.resolve();
  else waiting.reject(reply.permanent ? new PermanentBatchError(reply.message) : new Error(reply.message));
}

/** This process's push thread, shared by every LogShipping pushing to Loki. */
export const lokiPushThread = new LokiPushThread();
