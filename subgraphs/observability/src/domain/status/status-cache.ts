// The platform's status as reads get it: a check of every component costs a database query per subgraph, a fresh
// Redis connection and HTTP requests, so a read must never start one of its own. Reads share the check in flight
// (one at a time per replica), and a finished check answers every read for `freshnessMs` after it; only a read
// after that starts the next. Any signed-in person, or any API key, may read the status, so without this, many
// requests (or one with many aliases) made the platform check itself over and over and slowed it for everyone.
// The periodic health check (component-down) goes through the same place: it joins a check in flight, and its
// result answers the reads that follow.
import { checkSystem, type SystemStatus } from './system-status.ts';
import type { Probe } from './probe.ts';

/** How long a finished check answers reads (config observability.status.freshnessSeconds). */
export const DEFAULT_STATUS_FRESHNESS_SECONDS = 2;

export class StatusCache {
  readonly #probes: () => Probe[];
  readonly #freshnessMs: number;
  #latest: SystemStatus | null = null;
  #inFlight: Promise<SystemStatus> | null = null;

  constructor(probes: () => Probe[], freshnessSeconds = DEFAULT_STATUS_FRESHNESS_SECONDS) {
    this.#probes = probes;
    this.#freshnessMs = freshnessSeconds * 1000;
  }

  /** The last check when it finished less than the freshness window ago, else the check in flight or a new one. */
  read(): Promise<SystemStatus> {
    const latest = this.#latest;
    if (latest && Date.now() - latest.checkedAt.getTime() < this.#freshnessMs) return Promise.resolve(latest);
    return this.check();
  }

  /**
   * A check not finished yet: the one in flight, else a new one. The health check's rounds take this, so a round
   * never reuses a finished result, and what it finds answers the reads after it.
   */
  check(): Promise<SystemStatus> {
    this.#inFlight ??= checkSystem(this.#probes())
      .then((status) => {
        this.#latest = status;
        return status;
      })
      .finally(() => {
        this.#inFlight = null;
      });
    return this.#inFlight;
  }
}
