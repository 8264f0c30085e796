// A bounded, batching, retrying sender that never blocks its producer: `offer` appends to a buffer (or counts a
// drop when the buffer is full) and returns at once; batches go out on a timer or when a batch fills, one at a
// time (larger ones while behind), and a failed batch is retried with exponential backoff while new records keep
// queueing up to the bound.

/** Thrown by `send` for a batch that can never succeed (the receiver refused it as malformed): dropped, counted. */
export class PermanentBatchError extends Error {}

export interface BatchSenderOptions<T> {
  send(batch: T[]): Promise<void>;
  batchSize: number;
  flushIntervalMs: number;
  /** Records held at most, in flight included; more are dropped and counted. */
  maxBuffer: number;
  /** First retry delay, doubled per consecutive failure up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told when sending starts failing and when it recovers (not once per failure: it may be logged). */
  onStateChange?(failing: boolean, error?: Error): void;
}

export interface BatchSenderStats {
  /** Records waiting, the batch in flight included. */
  backlog: number;
  sent: number;
  dropped: number;
  lastSentAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export class BatchSender<T> {
  #o: Required<Omit<BatchSenderOptions<T>, 'onStateChange'>> & Pick<BatchSenderOptions<T>, 'onStateChange'>;
  /** Queued records from index #head on; the sent prefix is cut off now and then, not on every send. */
  #buffer: T[] = [];
  #head = 0;
  #sending = false;
  #timer: NodeJS.Timeout | undefined;
  /** The timer is armed to send at once: offers while a full batch waits for it leave it be (no re-arming). */
  #immediate = false;
  #stopped = false;
  #stats: BatchSenderStats = {
    backlog: 0,
    sent: 0,
    dropped: 0,
    lastSentAt: null,
    lastError: null,
    consecutiveFailures: 0,
  };
  #idle: (() => void)[] = [];

  constructor(options: BatchSenderOptions<T>) {
    this.#o = { initialBackoffMs: 250, maxBackoffMs: 30_000, ...options };
  }

  /** Queues one record; false when the buffer was full and it was dropped. */
  offer(item: T): boolean {
    if (this.#stopped || this.#backlog() >= this.#o.maxBuffer) {
      this.#stats.dropped++;
      return false;
    }
    this.#buffer.push(item);
    if (this.#sending || this.#stats.consecutiveFailures > 0) return true;
    if (this.#backlog() >= this.#o.batchSize) {
      if (!this.#immediate) this.#schedule(0);
    } else this.#timer ??= this.#arm(this.#o.flushIntervalMs);
    return true;
  }

  stats(): BatchSenderStats {
    return { ...this.#stats, backlog: this.#backlog() };
  }

  /** Sends what is queued now (one attempt per batch) and resolves when the buffer is empty or a send failed. */
  async flush(): Promise<void> {
    this.#disarm();
    while (this.#sending) await new Promise<void>((resolve) => this.#idle.push(resolve));
    while (this.#backlog() > 0) {
      if (!(await this.#sendOne())) {
        if (!this.#stopped) this.#retryLater();
        return;
      }
    }
  }

  /** One last flush attempt; later offers are dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.flush();
    this.#disarm();
  }

  #backlog(): number {
    return this.#buffer.length - this.#head;
  }

  /** Drops the oldest `n` queued records (sent or refused). */
  #consume(n: number): void {
    this.#head += n;
    if (this.#head === this.#buffer.length) {
      this.#buffer = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#buffer.length) {
      this.#buffer = this.#buffer.slice(this.#head);
      this.#head = 0;
    }
  }

  #arm(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timer = undefined;
      this.#immediate = false;
      void this.#run();
    }, ms);
    timer.unref();
    return timer;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = this.#arm(ms);
    this.#immediate = ms === 0;
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#immediate = false;
  }

  async #run(): Promise<void> {
    if (this.#sending || this.#backlog() === 0) return;
    const ok = await this.#sendOne();
    if (this.#stopped && !ok) return;
    if (!ok) this.#retryLater();
    else if (this.#backlog() >= this.#o.batchSize) this.#schedule(0);
    else if (this.#backlog() > 0) this.#schedule(this.#o.flushIntervalMs);
  }

  #retryLater(): void {
    const n = this.#stats.consecutiveFailures;
    const delay = Math.min(this.#o.maxBackoffMs, this.#o.initialBackoffMs * 2 ** (n - 1));
    // Jitter keeps many processes from retrying in step once the receiver is back.
    this.#schedule(delay / 2 + Math.random() * (delay / 2));
  }

  /** Sends the oldest batch; it stays in the buffer (counted in the backlog) until it went out. */
  async #sendOne(): Promise<boolean> {
    this.#sending = true;
    // Behind (more than two batches waiting, one push in flight at a time): catch up with larger pushes, up to
    // ten batches in one, rather than falling further behind one round trip at a time.
    const size = this.#backlog() > 2 * this.#o.batchSize ? 10 * this.#o.batchSize : this.#o.batchSize;
    const batch = this.#buffer.slice(this.#head, this.#head + size);
    try {
      await this.#o.send(batch);
      this.#consume(batch.length);
      this.#stats.sent += batch.length;
      this.#stats.lastSentAt = new Date();
      if (this.#stats.consecutiveFailures > 0) this.#o.onStateChange?.(false);
      this.#stats.consecutiveFailures = 0;
      return true;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.#stats.lastError = error.message;
      if (error instanceof PermanentBatchError) {
        this.#consume(batch.length);
        this.#stats.dropped += batch.length;
        return true;
      }
      if (this.#stats.consecutiveFailures++ === 0) this.#o.onStateChange?.(true, error);
      return false;
    } finally {
      this.#sending = false;
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
