// Work repeated on a clock for as long as a service runs: one round at a time (a slow round never stacks rounds
// up), a failed round logged and the next still run, and a timer that never keeps the process alive.
//
// Every replica of the subgraph runs the same clocks. Work that must not be done by several replicas at once takes
// a claim: before each round the clock asks PostgreSQL for the round (`periodic_round`, one row per named job),
// and the claim is granted only when the last round of that job, by whichever replica, was claimed at least
// 0.8 intervals ago. So across replicas each round of the job runs once (no two closer than 0.8 intervals), by the
// first replica whose clock ticks; a replica whose timer fires a little early finds the round taken. No lock is
// held across a round: a replica that stops or dies never blocks the others, which claim the next round as usual.
// A round slower than 0.8 intervals may overlap the next one on another replica, so the work itself must stay
// consistent when two rounds meet (an alert is raised under a lock of its fingerprint, the health check's state
// per component is updated under its row lock).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { SubgraphRuntime } from '@sting/kit';
import { schemaOf } from './events/event-store.ts';

/** The share of an interval that must pass since the last claimed round before the next can be claimed. */
export const CLAIM_SHARE = 0.8;

/** Whether this replica runs the round that is due now (at most one replica per `CLAIM_SHARE` × interval). */
export type RoundClaim = (intervalSeconds: number) => Promise<boolean>;

/** The claim of a named job, in `periodic_round` of the ORM's schema; the database's clock decides. */
export function roundClaim(orm: MikroORM, name: string): RoundClaim {
  return async (intervalSeconds) => {
    const em = orm.em.fork() as EntityManager;
    const claimed = await em.execute<{ name: string }[]>(
      `insert into ${schemaOf(em)}."periodic_round" as r ("name", "claimed_at") values (?, now())
       on conflict ("name") do update set "claimed_at" = excluded."claimed_at"
       where r."claimed_at" <= now() - make_interval(secs => ?)
       returning "name"`,
      [name, intervalSeconds * CLAIM_SHARE],
    );
    return claimed.length > 0;
  };
}

export class Periodic {
  readonly #round: () => Promise<unknown>;
  readonly #what: string;
  readonly #logger: SubgraphRuntime['logger'] | undefined;
  readonly #claim: RoundClaim | undefined;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;

  /** With `claim`, each tick runs the round only when the claim is granted; without, every tick runs it. */
  constructor(
    round: () => Promise<unknown>,
    what: string,
    logger?: SubgraphRuntime['logger'],
    claim?: RoundClaim,
  ) {
    this.#round = round;
    this.#what = what;
    this.#logger = logger;
    this.#claim = claim;
  }

  start(intervalSeconds: number): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.#tick(intervalSeconds)
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

  async #tick(intervalSeconds: number): Promise<unknown> {
    if (this.#claim && !(await this.#claim(intervalSeconds))) return undefined;
    return this.#round();
  }
}
