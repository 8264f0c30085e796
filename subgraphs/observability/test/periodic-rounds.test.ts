// The shared clock's claim against a real PostgreSQL: a named job's round is granted to one replica, refused to
// every replica until 0.8 of the interval has passed (by the database's clock), granted once however many ask at
// the same moment, and never held: once the time has passed, whichever replica asks first is granted the next.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { waitFor } from '@sting/kit/testing';
import { schemaOf } from '../src/domain/events/event-store.ts';
import { CLAIM_SHARE, roundClaim } from '../src/domain/periodic.ts';
import { startObservability, type ObservabilityHarness } from './harness.ts';

describe('periodic rounds across replicas', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await obs?.close();
  });

  /** The claim of one job as a replica makes it (each replica builds its own). */
  const claimOf = (name: string) => roundClaim(obs.orm as unknown as MikroORM, name);

  it('grants a round to the first replica and refuses the others until most of the interval has passed', async () => {
    const name = `job-${randomUUID()}`;
    const [mine, theirs] = [claimOf(name), claimOf(name)];
    const interval = 1;
    expect(await mine(interval)).toBe(true);
    const claimed = performance.now();
    expect(await theirs(interval)).toBe(false);
    expect(await mine(interval)).toBe(false);
    // Another job has rounds of its own.
    expect(await claimOf(`job-${randomUUID()}`)(interval)).toBe(true);

    // The next round is granted once 0.8 of the interval has passed, to whichever replica asks first.
    await waitFor(() => theirs(interval), { what: 'the next round', intervalMs: 10 });
    expect(performance.now() - claimed).toBeGreaterThanOrEqual(interval * CLAIM_SHARE * 1000 - 50);
    expect(await mine(interval)).toBe(false);
  });

  it('grants a round once when every replica asks at the same moment', async () => {
    const name = `job-${randomUUID()}`;
    const race = () => Promise.all(Array.from({ length: 8 }, () => claimOf(name)(60)));
    // The job's first round ever (inserting its row), then a round long due (updating it).
    expect((await race()).filter(Boolean)).toHaveLength(1);
    const em = obs.em() as unknown as EntityManager;
    await em.execute(
      `update ${schemaOf(em)}.periodic_round set claimed_at = now() - interval '1 hour' where name = ?`,
      [name],
    );
    expect((await race()).filter(Boolean)).toHaveLength(1);
  });
});
