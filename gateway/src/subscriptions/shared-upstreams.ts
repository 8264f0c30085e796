// One upstream subscription per group of identical subscribers (same operation, variables and viewer): the first
// subscriber opens it, each upstream event is completed once and handed to every member, the last to leave closes it.
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { UpstreamEvents } from '../topology/endpoint.ts';
import { eventStream } from './event-stream.ts';

/** An opened upstream and how one of its events becomes what subscribers receive. */
export interface SharedSource {
  events: AsyncIterator<ExecutionResult>;
  complete(event: ExecutionResult): Promise<ExecutionResult>;
}

export interface SharedUpstreamsOptions {
  /**
   * Events a member may fall behind before it is dropped with an error; without a bound, one client that stops
   * reading would hold every later event of the group in memory.
   */
  maxQueued?: number;
}

const failure = (message: string): ExecutionResult => ({
  errors: [new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })],
});

/** One subscriber's view of a group: its own queue, so a slow reader never delays the others. */
class Member {
  readonly #queue: ExecutionResult[] = [];
  #waiting: ((step: IteratorResult<ExecutionResult>) => void) | undefined;
  #ended = false;
  readonly #leave: (member: Member) => void;
  readonly #maxQueued: number;

  constructor(leave: (member: Member) => void, maxQueued: number) {
    this.#leave = leave;
    this.#maxQueued = maxQueued;
  }

  push(result: ExecutionResult): void {
    if (this.#ended) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      return resolve({ done: false, value: result });
    }
    if (this.#queue.length >= this.#maxQueued) {
      // Its last event says why; then it ends like any other finished stream.
      this.#queue.length = 0;
      this.#queue.push(failure('Subscription dropped: the client is not reading its events'));
      this.#ended = true;
      this.#leave(this);
      return;
    }
    this.#queue.push(result);
  }

  /** The upstream is gone: deliver what is queued, then end. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#waiting?.({ done: true, value: undefined });
    this.#waiting = undefined;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve({ done: false, value: queued });
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  close(): void {
    this.#queue.length = 0;
    this.end();
    this.#leave(this);
  }
}

class Group {
  readonly members = new Set<Member>();
  /** Settles once the upstream is open (true) or refused (the refusal every joiner gets). */
  readonly ready: Promise<true | ExecutionResult>;
  #source: SharedSource | undefined;
  #closed = false;
  readonly #forget: () => void;

  constructor(open: () => Promise<SharedSource | ExecutionResult>, forget: () => void) {
    this.#forget = forget;
    this.ready = open().then(
      (opened) => {
        if (!('events' in opened)) {
          this.#close();
          return opened;
        }
        this.#source = opened;
        // Everyone may have left while it was opening.
        if (this.members.size === 0) this.#close();
        else void this.#pump(opened);
        return true as const;
      },
      (error: unknown) => {
        this.#close();
        throw error;
      },
    );
  }

  leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size === 0 && this.#source) this.#close();
  }

  async #pump(source: SharedSource): Promise<void> {
    for (;;) {
      let step: IteratorResult<ExecutionResult>;
      try {
        step = await source.events.next();
      } catch {
        step = { done: false, value: failure('Subscription source failed') };
        if (!this.#closed) this.#broadcast(step.value);
        break;
      }
      if (this.#closed || step.done) break;
      let result: ExecutionResult;
      try {
        // Sequential per group: subscribers see events in upstream order.
        result = await source.complete(step.value);
      } catch {
        result = failure('Subscription event could not be completed');
      }
      if (this.#closed) break;
      this.#broadcast(result);
      // A result without data is a request error: a subgraph service's refusal comes as one, then its stream's
      // end. The group ends with it, without waiting for that end: a subscriber who came in between would have
      // joined a stream that had already said its last word and seen it end in silence, instead of its answer.
      if (result.data === undefined) break;
    }
    this.#close();
  }

  #broadcast(result: ExecutionResult): void {
    for (const member of this.members) member.push(result);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#forget();
    for (const member of this.members) member.end();
    this.members.clear();
    void this.#source?.events.return?.();
  }
}

export class SharedUpstreams {
  readonly #groups = new Map<string, Group>();
  readonly #maxQueued: number;

  constructor(options: SharedUpstreamsOptions = {}) {
    this.#maxQueued = options.maxQueued ?? 1000;
  }

  /**
   * Joins the group `key`, opening its upstream with `open()` when it has none. Callers must put everything the
   * events depend on into the key, the viewer above all: an upstream is never shared across viewers.
   */
  async join(
    key: string,
    open: () => Promise<SharedSource | ExecutionResult>,
  ): Promise<UpstreamEvents | ExecutionResult> {
    let group = this.#groups.get(key);
    if (!group) {
      const created: Group = new Group(open, () => {
        if (this.#groups.get(key) === created) this.#groups.delete(key);
      });
      this.#groups.set(key, created);
      group = created;
    }
    const joined = group;
    const member = new Member((m) => joined.leave(m), this.#maxQueued);
    // Joined before waiting, so the group cannot close between its opening and this subscriber's first read.
    joined.members.add(member);
    let ready: true | ExecutionResult;
    try {
      ready = await joined.ready;
    } catch (error) {
      joined.leave(member);
      throw error;
    }
    if (ready !== true) {
      joined.leave(member);
      return ready;
    }
    return eventStream<ExecutionResult>({ next: () => member.next() }, { onClose: () => member.close() });
  }

  /** Groups with an open (or opening) upstream (tests, leak checks). */
  get size(): number {
    return this.#groups.size;
  }
}
