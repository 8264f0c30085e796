// The authorization matrix: role (ADMIN, MEMBER, VIEWER) × relation to the jar (owner, member, other, anonymous,
// and as API keys with and without the needed scope, or restricted to another jar) × jar type × every root
// operation the supergraph offers and every REST route, through GraphQL, REST and graphql-ws subscriptions, on one
// real platform. Each cell's answer must match the product's rules: no unexpected allow, no unexpected refusal.
// An operation or route without an expectation fails the test, so none slips by.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { StingConfig } from '@sting/kit';
import { askBee } from './bee-journey.ts';
import { graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';
import { describeCell } from './matrix/model.ts';
import { GRAPHQL_CASES } from './matrix/operations.ts';
import { REST_CASES } from './matrix/rest.ts';
import {
  freshJars,
  freshRecords,
  keysWanted,
  plan,
  restRoutes,
  rootOperations,
  runEntries,
  triggerEvents,
  type Outcome,
} from './matrix/run.ts';
import { buildWorld, createKeys, type World } from './matrix/world.ts';

const SUPERGRAPH = new URL('../../schema/supergraph.graphql', import.meta.url);

describe('the authorization matrix table', () => {
  it('has an expectation for every root operation and every REST route', () => {
    const missing = [
      ...rootOperations(SUPERGRAPH)
        .filter((op) => !GRAPHQL_CASES[op.name])
        .map((op) => `${op.channel} ${op.name}`),
      ...restRoutes().filter((route) => !REST_CASES[route]),
    ];
    expect(missing).toEqual([]);
  });
});

describe('the authorization matrix', () => {
  let it_: IntegrationPlatform;
  const operations = rootOperations(SUPERGRAPH);
  const entries = plan(operations);
  let outcomes: Outcome[] = [];
  let bee: { withKey: Set<string>; withSession: Set<string>; keyJar: string };

  beforeAll(async () => {
    // Thousands of requests from one address: the rate limiter is not what this test is about.
    it_ = await startIntegrationPlatform('embedded', {
      configure: (config) =>
        ({
          ...config,
          gateway: { ...config.gateway, rateLimit: { ...config.gateway.rateLimit, enabled: false } },
        }) as StingConfig,
    });
    const log = (line: string) => process.stderr.write(`[matrix] ${line}\n`);
    let started = Date.now();
    const fresh = new Map<string, string>();
    const world = await buildWorld(it_.url, (w) => freshJars(w, entries, fresh));
    await createKeys(world, keysWanted(world, entries));
    await freshRecords(world, entries, fresh);
    log(`data set up: ${Date.now() - started} ms`);
    bee = await askBeeWithKeyAndSession(world);
    started = Date.now();
    outcomes = await runEntries(world, entries, fresh, () => triggerEvents(world), log);
    log(`cells run: ${Date.now() - started} ms`);
    // Minutes on a busy machine: one platform serves every cell, so its CPU is the limit.
  }, 600_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it("keeps Bee's retrieval within an API key's jars, where the owner's session reaches them all", () => {
    // Bee asks knowledge as the person, with the key's claims: only the key's jar is cited.
    expect([...bee.withKey]).toEqual([bee.keyJar]);
    expect(bee.withSession.size).toBeGreaterThan(1);
    expect(bee.withSession).toContain(bee.keyJar);
  });

  it('answers every cell as the rules say, with zero unexpected allows', () => {
    const line = (o: Outcome) =>
      `${o.channel} ${o.name} · ${describeCell(o.cell)} → ${o.verdict} (${o.detail})`;
    const unexpectedAllows = outcomes.filter((o) => o.verdict === 'allow' && !o.expected);
    const unexpectedDenials = outcomes.filter((o) => o.verdict === 'deny' && o.expected);
    const errors = outcomes.filter((o) => o.verdict === 'error');
    const by = (channel: string) => outcomes.filter((o) => o.channel === channel).length;
    process.stderr.write(
      [
        `authorization matrix: ${outcomes.length} cells checked ` +
          `(GraphQL queries ${by('query')}, mutations ${by('mutation')}, subscriptions ${by('subscription')}, ` +
          `REST ${by('rest')}) over ${new Set(outcomes.map((o) => o.name)).size} operations and routes; ` +
          `${outcomes.filter((o) => o.expected).length} expected allowed, ` +
          `${outcomes.filter((o) => !o.expected).length} expected refused`,
        `unexpected allows: ${unexpectedAllows.length}, unexpected refusals: ${unexpectedDenials.length}, ` +
          `errors: ${errors.length}; subscriptions refused without an error (no event): ` +
          `${outcomes.filter((o) => o.detail === 'no event').length}, accepted and ended at once: ` +
          `${outcomes.filter((o) => o.detail === 'accepted, then ended').length}`,
        ...[...unexpectedAllows, ...unexpectedDenials, ...errors].slice(0, 300).map(line),
      ].join('\n') + '\n',
    );
    expect(outcomes).toHaveLength(entries.length);
    expect(unexpectedAllows.map(line)).toEqual([]);
    expect(unexpectedDenials.map(line)).toEqual([]);
    expect(errors.map(line)).toEqual([]);
  });
});

/** The jars Bee cites for one question naming three of the MEMBER owner's jars: with a key restricted to the TEAM
 * jar (bee:chat only), and with the owner's session. */
async function askBeeWithKeyAndSession(world: World) {
  const owner = world.people.owner.MEMBER;
  const jars = world.jars.MEMBER;
  const created = await graphql(
    world.url,
    'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
    { i: { name: 'bee', scopes: ['bee:chat'], honeyJarIds: [jars.TEAM.id] } },
    owner.session,
  );
  const question = `What do ${jars.TEAM.word}, ${jars.PRIVATE.word} and ${jars.PUBLIC.word} say?`;
  const cited = async (token: string) =>
    new Set((await askBee(world.url, token, question)).answer.citations.map((c) => c.honeyJar.id));
  return {
    withKey: await cited(created.data.createApiKey.key),
    withSession: await cited(owner.session),
    keyJar: jars.TEAM.id,
  };
}
