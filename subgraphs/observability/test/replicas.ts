// Two replicas of a periodic job on one database, for tests: both clocks start together, and once enough rounds
// ran the replica that ran most of them stops and the other must carry on. Along the way no more rounds may have
// run than claims allow (one per 0.8 interval), where two unclaimed clocks ticking together would run two a tick.
import { expect } from '@jest/globals';
import { waitFor } from '@sting/kit/testing';
import { CLAIM_SHARE } from '../src/domain/periodic.ts';

export interface Replica {
  start(): void;
  stop(): Promise<void>;
}

export async function runReplicas(options: {
  replicas: [Replica, Replica];
  /** Rounds each replica has run so far. */
  runs: () => [number, number];
  intervalSeconds: number;
  /** Rounds to run on both before one stops. */
  rounds: number;
  /** Done once one replica stopped, before the other's further rounds. */
  afterStop?: () => void | Promise<void>;
  /** Rounds the other replica must run alone. */
  more: number;
}): Promise<{ total: number }> {
  const { replicas, runs, intervalSeconds } = options;
  const total = () => runs()[0] + runs()[1];
  const began = performance.now();
  const most = () => Math.floor((performance.now() - began) / 1000 / (intervalSeconds * CLAIM_SHARE)) + 1;
  for (const replica of replicas) replica.start();
  try {
    await waitFor(() => total() >= options.rounds, { timeoutMs: 15_000, what: `${options.rounds} rounds` });
    expect(total()).toBeLessThanOrEqual(most());
    const leader = runs()[0] >= runs()[1] ? 0 : 1;
    await replicas[leader].stop();
    await options.afterStop?.();
    const other = 1 - leader;
    const before = runs()[other];
    await waitFor(() => runs()[other] >= before + options.more, {
      timeoutMs: 15_000,
      what: 'rounds of the other replica',
    });
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
  expect(total()).toBeLessThanOrEqual(most());
  return { total: total() };
}
