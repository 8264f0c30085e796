// Work repeated on a clock for as long as a service runs: one round at a time (a slow round never stacks rounds
// up), a failed round logged and the next still run, and a timer that never keeps the process alive.
import type { SubgraphRuntime } from '@sting/kit';

export class Periodic {
  readonly #round: () => Promise<unknown>;
  readonly #what: string;
  readonly #logger: SubgraphRuntime['logger'] | undefined;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;

  constructor(round: () => Promise<unknown>, what: string, logger?: SubgraphRuntime['logger']) {
    this.#round = round;
    this.#what = what;
    this.#logger = logger;
  }

  start(intervalSeconds: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.#round()
        .catch((err: unknown) => this.#logger?.warn({ err }, `${this.#what} failed`))
        .finally(() => (this.#running = null));
    }, intervalSeconds * 1000);
    this.#timer.unref();
  }

  /** Stops the clock and waits for the round in hand. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
