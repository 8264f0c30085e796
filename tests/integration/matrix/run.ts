// Runs the matrix: plans every cell of every operation and route, gives each the record and credential it needs,
// sends the requests in parallel batches (subscriptions over graphql-ws, all at once), and tells allowed from
// refused answers.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ApiKeyScope } from '@sting/kit';
import { cellsFor, describeCell, expected, keyScopes, type Cell, type Expectation } from './model.ts';
import { GRAPHQL_CASES, type Fixture, type GraphQLCase } from './operations.ts';
import { REST_CASES, type RestCase } from './rest.ts';
import {
  createJar,
  jarOf,
  keySignature,
  ownerRoleOf,
  PASSWORD,
  personOf,
  startConversation,
  uploadDocument,
  type Person,
  type World,
} from './world.ts';

export type Channel = 'query' | 'mutation' | 'subscription' | 'rest';

export interface Entry {
  channel: Channel;
  name: string;
  spec: (GraphQLCase | RestCase) & Expectation;
  cell: Cell;
  expected: boolean;
}

export type Verdict = 'allow' | 'deny' | 'error';

export interface Outcome extends Entry {
  verdict: Verdict;
  detail: string;
}

const DENIALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'STEP_UP_REQUIRED']);

/** The API schema's root operations: every field of Query, Mutation and Subscription not @inaccessible. */
export function rootOperations(supergraphPath: URL): { channel: Channel; name: string }[] {
  const document = parse(readFileSync(supergraphPath, 'utf8'));
  const channels: Record<string, Channel> = {
    Query: 'query',
    Mutation: 'mutation',
    Subscription: 'subscription',
  };
  return document.definitions
    .filter(
      (d): d is ObjectTypeDefinitionNode =>
        d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value in channels,
    )
    .flatMap((type) =>
      (type.fields ?? [])
        .filter((field) => !field.directives?.some((d) => d.name.value === 'inaccessible'))
        .map((field) => ({ channel: channels[type.name.value], name: field.name.value })),
    );
}

/**
 * Every REST route of the gateway's route table (gateway/src/rest/routes.ts), as `METHOD /path`, from
 * schema/openapi.json, which composition writes from that table, one path item per route. The document also
 * describes the plain HTTP routes that stream (uploads, downloads, Bee's chat, the health report PDF); their bodies
 * are not JSON operations, and their own tests check who may use them (documents.test.ts, bee-rest.test.ts,
 * beeacon-report.test.ts), so they are left out here: the document marks them `x-sting-plain-route`.
 */
export function restRoutes(openapiPath = new URL('../../../schema/openapi.json', import.meta.url)): string[] {
  const openapi = JSON.parse(readFileSync(openapiPath, 'utf8')) as {
    paths: Record<string, Record<string, { 'x-sting-plain-route'?: boolean }>>;
  };
  return Object.entries(openapi.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, operation]) => !operation['x-sting-plain-route'])
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
}

export function plan(operations: { channel: Channel; name: string }[]): Entry[] {
  const entries: Entry[] = [];
  const add = (channel: Channel, name: string, spec: (GraphQLCase | RestCase) & Expectation) => {
    for (const cell of cellsFor(spec.target)) {
      let allowed = expected(cell, spec);
      if (spec.restrictedKeyRefused && cell.who === 'person' && cell.credential === 'key-other-jars')
        allowed = false;
      entries.push({ channel, name, spec, cell, expected: allowed });
    }
  };
  for (const { channel, name } of operations)
    if (GRAPHQL_CASES[name]) add(channel, name, GRAPHQL_CASES[name]);
  for (const route of restRoutes()) if (REST_CASES[route]) add('rest', route, REST_CASES[route]);
  return entries;
}

const freshKey = (entry: Entry) => `${entry.channel} ${entry.name}|${describeCell(entry.cell)}`;

/** The API keys the entries use: by owner, scopes and restriction. */
export function keysWanted(world: World, entries: Entry[]) {
  return entries.flatMap((entry) => {
    const scopes = keyScopes(entry.cell, entry.spec);
    if (!scopes || entry.cell.who !== 'person') return [];
    const restricted = entry.cell.credential === 'key-other-jars';
    return [{ person: personOf(world, entry.cell), scopes, restricted }];
  });
}

/** Jars of their own for allowed cells that delete one (made while every owner can still create jars). */
export async function freshJars(world: World, entries: Entry[], fresh: Map<string, string>): Promise<void> {
  const wanted = entries.filter((e) => e.expected && e.spec.fresh === 'jar');
  await pool(wanted, 8, async (entry) => {
    const owner = world.people.owner[ownerRoleOf(entry.cell)];
    const members =
      entry.cell.who === 'person' && entry.cell.relation === 'member' ? [personOf(world, entry.cell).id] : [];
    fresh.set(freshKey(entry), await createJar(world.url, owner.session, entry.cell.jarType!, members));
  });
}

/** Documents and conversations of their own for allowed cells that delete (or re-ingest) one. */
export async function freshRecords(
  world: World,
  entries: Entry[],
  fresh: Map<string, string>,
): Promise<void> {
  await pool(
    entries.filter((e) => e.expected && (e.spec.fresh === 'document' || e.spec.fresh === 'conversation')),
    8,
    async (entry) => {
      const ownerRole = ownerRoleOf(entry.cell);
      const owner = world.people.owner[ownerRole];
      const id =
        entry.spec.fresh === 'document'
          ? await uploadDocument(
              world.base,
              // A VIEWER adds nothing, even to their own jar: an administrator puts the document there.
              ownerRole === 'VIEWER' ? world.admin : owner.session,
              jarOf(world, entry.cell).id,
              `# Fresh\n\n${randomUUID()}`,
            )
          : (await startConversation(world.url, owner.session)).id;
      fresh.set(freshKey(entry), id);
    },
  );
}

function fixtureOf(world: World, entry: Entry, fresh: Map<string, string>): Fixture {
  const { cell } = entry;
  const jar = cell.jarType ? jarOf(world, cell) : world.jars.MEMBER.PUBLIC;
  const conversation = world.conversations[ownerRoleOf(cell)];
  return {
    jarId: jar.id,
    documentId: jar.documentId,
    word: jar.word,
    pendingId: jar.pendingId,
    conversationId: conversation.id,
    messageId: conversation.messageId,
    alertId: world.alertId,
    selfId: cell.who === 'person' ? personOf(world, cell).id : world.bystander.id,
    bystander: { id: world.bystander.id, email: world.bystander.email, password: PASSWORD },
    victimId: world.victim.id,
    freshId: fresh.get(freshKey(entry)),
  };
}

/** The Authorization header value of a cell (none for anonymous callers). */
function credentialOf(world: World, entry: Entry): string | undefined {
  const { cell } = entry;
  if (cell.who === 'anonymous') return undefined;
  const person: Person = personOf(world, cell);
  const scopes: ApiKeyScope[] | null = keyScopes(cell, entry.spec);
  if (!scopes) return `Bearer ${person.session}`;
  const key = world.keys.get(keySignature(person.id, scopes, cell.credential === 'key-other-jars'));
  if (!key) throw new Error(`no key for ${describeCell(cell)}`);
  return `Bearer ${key}`;
}

function verdictOfErrors(
  errors: { extensions?: { code?: unknown } }[],
  spec: GraphQLCase | RestCase,
): Verdict {
  const code = String(errors[0]?.extensions?.code ?? 'UNKNOWN');
  if ('passes' in spec && spec.passes?.includes(code)) return 'allow';
  if (code === 'NOT_FOUND' && 'probe' in spec && spec.probe) return 'allow';
  if (DENIALS.has(code)) return 'deny';
  return code === 'INTERNAL_SERVER_ERROR' || code === 'UNKNOWN' || code === 'SERVICE_UNAVAILABLE'
    ? 'error'
    : 'allow';
}

async function runGraphQL(world: World, entry: Entry, f: Fixture): Promise<[Verdict, string]> {
  const spec = entry.spec as GraphQLCase;
  const request = spec.request(f);
  const authorization = credentialOf(world, entry);
  const response = await fetch(world.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(request),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: any; errors?: any[] };
  if (response.status === 401 && !body.errors) return ['deny', 'HTTP 401'];
  if (body.errors?.length) {
    const verdict = verdictOfErrors(body.errors, spec);
    return [verdict, `${body.errors[0].extensions?.code}: ${body.errors[0].message}`];
  }
  const value = body.data?.[entry.name];
  const saw = spec.saw ? spec.saw(value, f) : value !== null && value !== undefined;
  return [
    saw ? 'allow' : 'deny',
    saw ? 'answered' : `answered without it: ${JSON.stringify(value)?.slice(0, 80)}`,
  ];
}

async function runRest(world: World, entry: Entry, f: Fixture): Promise<[Verdict, string]> {
  const spec = entry.spec as RestCase;
  const method = entry.name.split(' ')[0];
  const authorization = credentialOf(world, entry);
  // Writes carry a JSON body (an empty one where the route takes none), as a client sends them.
  const body = spec.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
  const response = await fetch(new URL(spec.path(f), world.base), {
    method,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json().catch(() => ({}))) as any;
  const detail = `HTTP ${response.status} ${JSON.stringify(answer?.error ?? '').slice(0, 100)}`;
  if ([401, 403, 404].includes(response.status)) return ['deny', detail];
  if (response.status >= 500) return ['error', detail];
  if (response.status >= 400) return ['allow', detail];
  const saw = spec.saw ? spec.saw(answer, f) : true;
  return [saw ? 'allow' : 'deny', saw ? detail : `${detail} without it`];
}

/**
 * Subscriptions, all at once over one socket per credential. A refusal arrives as an error; an allowed
 * subscription must then see an event that `trigger` causes (a document re-ingested, a message sent, an alert
 * raised): silence is not taken for consent.
 */
async function runSubscriptions(
  world: World,
  entries: Entry[],
  fresh: Map<string, string>,
  trigger: () => Promise<void>,
): Promise<Outcome[]> {
  const clients = new Map<string, Client>();
  const clientFor = (authorization: string | undefined) => {
    const key = authorization ?? 'anonymous';
    let client = clients.get(key);
    if (!client) {
      client = createClient({
        url: world.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: authorization ? { authorization } : {},
        retryAttempts: 0,
        lazy: true,
      });
      clients.set(key, client);
    }
    return client;
  };
  const settlers: (() => void)[] = [];
  const outcomes = entries.map(
    (entry) =>
      new Promise<Outcome>((resolve) => {
        const request = (entry.spec as GraphQLCase).request(fixtureOf(world, entry, fresh));
        let settled = false;
        let unsubscribe = () => {};
        const settle = (verdict: Verdict, detail: string) => {
          if (settled) return;
          settled = true;
          // Not from inside the message handler: a refusal's `next` and `complete` may arrive in one read, and
          // graphql-ws's client then releases the subscription twice (once for our unsubscribe, once for the
          // server's complete), which lets its lock count reach zero while other subscriptions on the socket are
          // still waiting: it closes the socket, and those end cleanly, unanswered.
          setImmediate(unsubscribe);
          resolve({ ...entry, verdict, detail });
        };
        settlers.push(() => settle('deny', 'no event'));
        unsubscribe = clientFor(credentialOf(world, entry)).subscribe(request, {
          next: (value) =>
            value.errors?.length
              ? settle(verdictOfErrors(value.errors as never, entry.spec), JSON.stringify(value.errors[0]))
              : settle('allow', 'event'),
          error: (err) => {
            const errors = Array.isArray(err) ? err : [];
            const verdict: Verdict = errors.length ? verdictOfErrors(errors, entry.spec) : 'deny';
            settle(verdict, JSON.stringify(errors[0] ?? String((err as { code?: number })?.code ?? err)));
          },
          // A refused subscription ends with an error; one that ends cleanly was accepted (and its stream ended).
          complete: () => settle('allow', 'accepted, then ended'),
        });
      }),
  );
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let open = entries.length;
  for (const outcome of outcomes) void outcome.then(() => open--);
  try {
    // A subscription may still be on its way upstream when the first events go out (a busy machine): events are
    // caused again, up to five times, while some subscription has seen neither an event nor an error.
    for (let round = 0; round < 5 && open > 0; round++) {
      await sleep(1_500);
      await trigger();
      for (let waited = 0; waited < 3_000 && open > 0; waited += 100) await sleep(100);
    }
    settlers.forEach((settle) => settle());
    return await Promise.all(outcomes);
  } finally {
    await Promise.all([...clients.values()].map((client) => client.dispose()));
  }
}

/** Runs `work` over `items`, `width` at a time. */
export async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Runs every entry: the HTTP cells first (in parallel batches), then the subscriptions with `trigger` (which
 * re-ingests documents, so after the searches), then the cells that end sessions.
 */
export async function runEntries(
  world: World,
  entries: Entry[],
  fresh: Map<string, string>,
  trigger: () => Promise<void>,
  log: (line: string) => void = () => {},
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const http = entries.filter((e) => e.channel !== 'subscription');
  // Deletions come after the reads: a search racing a deletion may name a document that is going.
  const phaseOf = (e: Entry) => (e.spec as GraphQLCase).phase ?? (e.spec.fresh ? 0.5 : 0);
  const byPhase = (phase: number) => http.filter((e) => phaseOf(e) === phase);
  const spent = new Map<string, number>();
  const runOne = async (entry: Entry) => {
    const f = fixtureOf(world, entry, fresh);
    const began = Date.now();
    try {
      const [verdict, detail] =
        entry.channel === 'rest' ? await runRest(world, entry, f) : await runGraphQL(world, entry, f);
      outcomes.push({ ...entry, verdict, detail });
    } catch (err) {
      outcomes.push({ ...entry, verdict: 'error', detail: String(err) });
    }
    spent.set(entry.name, (spent.get(entry.name) ?? 0) + Date.now() - began);
  };
  let started = Date.now();
  await pool(byPhase(0), 48, runOne);
  await pool(byPhase(0.5), 48, runOne);
  log(`GraphQL and REST cells: ${Date.now() - started} ms`);
  log(
    `slowest: ${[...spent]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, ms]) => `${name} ${ms} ms`)
      .join(', ')}`,
  );
  started = Date.now();
  outcomes.push(
    ...(await runSubscriptions(
      world,
      entries.filter((e) => e.channel === 'subscription'),
      fresh,
      trigger,
    )),
  );
  log(`subscription cells: ${Date.now() - started} ms`);
  // Ending sessions comes last: first the others, then the caller's own.
  await pool(byPhase(1), 48, runOne);
  await pool(byPhase(2), 48, runOne);
  return outcomes;
}

/** Events every allowed subscription sees: each jar's document re-ingested, a message per conversation, an alert. */
export async function triggerEvents(world: World): Promise<void> {
  const ask = (query: string, variables: Record<string, unknown>, token: string) =>
    fetch(world.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    }).then((r) => r.json());
  await Promise.all([
    ...Object.values(world.jars).flatMap((byType) =>
      Object.values(byType).map((jar) =>
        ask('mutation ($id: ID!) { reprocessDocument(id: $id) { id } }', { id: jar.documentId }, world.admin),
      ),
    ),
    ...(Object.keys(world.conversations) as (keyof World['conversations'])[]).map((role) =>
      ask(
        'mutation ($id: ID!) { sendMessage(conversationId: $id, text: "Anything new?") { id } }',
        { id: world.conversations[role].id },
        world.people.owner[role].session,
      ),
    ),
    ask(
      'mutation ($s: String!) { raiseAlert(input: { severity: WARNING, title: "Matrix", source: "matrix", subject: $s }) { id } }',
      { s: `announced ${Date.now()}` },
      world.admin,
    ),
  ]);
}
