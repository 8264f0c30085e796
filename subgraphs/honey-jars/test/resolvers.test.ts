// The honey-jars API through executeAs: validation codes and fields, not found, forbidden, paging, batching.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { type Viewer } from '@sting/kit';
import { countQueries, executeAs, startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { addMember, buildHoneyJar, buildViewer, SYSTEM, uniqueName } from './factories.ts';
import { HoneyJarMember } from '../src/entities/honey-jar-member.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const run = (viewer: Viewer | null, query: string, variables?: Record<string, unknown>) =>
  executeAs<any>(t.schema, subgraph, t.runtime, viewer, query, variables);

const CREATE = `mutation($input: CreateHoneyJarInput!) { createHoneyJar(input: $input) { id name type tags owner { id } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateHoneyJarInput!) { updateHoneyJar(id: $id, input: $input) { id name } }`;
const PAGE = `query($first: Int, $after: String) {
  honeyJars(first: $first, after: $after) { nodes { id createdAt } pageInfo { hasNextPage endCursor } }
}`;

describe('createHoneyJar', () => {
  it('creates a jar whose owner is a User reference', async () => {
    const owner = buildViewer();
    const result = await run(owner, CREATE, { input: { name: uniqueName(), type: 'TEAM', tags: ['a'] } });
    expect(result.errors).toBeUndefined();
    expect(result.data.createHoneyJar).toMatchObject({ type: 'TEAM', tags: ['a'], owner: { id: owner.id } });
  });

  it('answers BAD_USER_INPUT naming the field for each invalid input', async () => {
    const owner = buildViewer();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(121) }, 'name'],
      [{ name: uniqueName(), description: 'd'.repeat(2001) }, 'description'],
      [{ name: uniqueName(), tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ name: uniqueName(), tags: ['x'.repeat(41)] }, 'tags'],
      [{ name: uniqueName(), tags: [' '] }, 'tags'],
    ];
    for (const [input, field] of cases) {
      const result = await run(owner, CREATE, { input });
      expect([field, result.errors?.[0].extensions]).toEqual([
        field,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field }),
      ]);
    }
  });

  it('refuses a VIEWER with FORBIDDEN and anonymous callers with UNAUTHENTICATED', async () => {
    const input = { name: uniqueName() };
    expect((await run(buildViewer('VIEWER'), CREATE, { input })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await run(null, CREATE, { input })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('honeyJar, update and delete', () => {
  it('answers null for a missing or hidden jar, BAD_USER_INPUT for a malformed id', async () => {
    const owner = buildViewer();
    const hidden = await buildHoneyJar(t.em(), owner);
    const other = buildViewer();
    const q = `query($id: ID!) { honeyJar(id: $id) { id } }`;
    expect((await run(other, q, { id: hidden.id })).data.honeyJar).toBeNull();
    expect((await run(other, q, { id: '00000000-0000-4000-8000-000000000000' })).data.honeyJar).toBeNull();
    expect((await run(owner, q, { id: hidden.id })).data.honeyJar).toEqual({ id: hidden.id });
    expect((await run(owner, q, { id: 'jar-1' })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
  });

  it('answers NOT_FOUND when updating a jar that does not exist and FORBIDDEN for a non-owner', async () => {
    const owner = buildViewer();
    const missing = await run(owner, UPDATE, {
      id: '00000000-0000-4000-8000-000000000000',
      input: { name: 'x' },
    });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const jar = await buildHoneyJar(t.em(), owner, { type: 'PUBLIC' });
    const forbidden = await run(buildViewer(), UPDATE, { id: jar.id, input: { name: 'x' } });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const invalid = await run(owner, UPDATE, { id: jar.id, input: { name: '' } });
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('deletes a jar for its owner, after which it is gone', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner);
    const deleted = await run(owner, `mutation($id: ID!) { deleteHoneyJar(id: $id) }`, { id: jar.id });
    expect(deleted.data?.deleteHoneyJar).toBe(true);
    expect(
      (await run(owner, `query($id: ID!) { honeyJar(id: $id) { id } }`, { id: jar.id })).data.honeyJar,
    ).toBeNull();
  });
});

describe('anonymous changes', () => {
  it('answer UNAUTHENTICATED for update, delete and add-member, never NOT_FOUND', async () => {
    const jar = await buildHoneyJar(t.em(), buildViewer(), { type: 'TEAM' });
    const calls: [string, Record<string, unknown>][] = [
      [UPDATE, { id: jar.id, input: { name: 'x' } }],
      [`mutation($id: ID!) { deleteHoneyJar(id: $id) }`, { id: jar.id }],
      [
        `mutation($j: ID!, $u: ID!) { addHoneyJarMember(honeyJarId: $j, userId: $u) { id } }`,
        { j: jar.id, u: buildViewer().id },
      ],
      [
        `mutation($j: ID!, $u: ID!) { removeHoneyJarMember(honeyJarId: $j, userId: $u) { id } }`,
        { j: jar.id, u: buildViewer().id },
      ],
    ];
    for (const [query, variables] of calls)
      expect((await run(null, query, variables)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an API key without honey-jars:write naming the scope, before looking the jar up', async () => {
    const owner = buildViewer();
    const key: Viewer = { ...owner, apiKey: { id: 'k-1', scopes: ['honey-jars:read'] } };
    const missing = await run(key, UPDATE, {
      id: '00000000-0000-4000-8000-000000000000',
      input: { name: 'x' },
    });
    expect(missing.errors?.[0]).toMatchObject({
      message: 'This API key lacks the scope honey-jars:write',
      extensions: { code: 'FORBIDDEN', scope: 'honey-jars:write' },
    });
  });
});

describe('honeyJar', () => {
  it('asks anonymous callers of honeyJar to sign in', async () => {
    const jar = await buildHoneyJar(t.em(), buildViewer(), { type: 'PUBLIC' });
    const result = await run(null, `query($id: ID!) { honeyJar(id: $id) { id } }`, { id: jar.id });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('honeyJars paging', () => {
  it('walks every page without duplicates, newest first, including all of the viewer’s jars', async () => {
    const owner = buildViewer();
    const base = Date.now() - 60_000;
    const mine = [];
    // Two share a timestamp so the id tie-break is exercised.
    for (const offset of [0, 1000, 1000, 2000, 3000, 4000, 5000]) {
      mine.push(await buildHoneyJar(t.em(), owner, { createdAt: new Date(base + offset) }));
    }
    const seen: { id: string; createdAt: string }[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: any = await run(owner, PAGE, { first: 3, after });
      expect(result.errors).toBeUndefined();
      const page = result.data.honeyJars;
      expect(page.nodes.length).toBeLessThanOrEqual(3);
      seen.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 50);
    const ids = seen.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const jar of mine) expect(ids).toContain(jar.id);
    const keys = seen.map((n) => [n.createdAt, n.id].join(' '));
    expect(keys).toEqual([...keys].sort().reverse());
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('only lists jars the viewer may read', async () => {
    const owner = buildViewer();
    const outsider = buildViewer();
    const hidden = await buildHoneyJar(t.em(), owner, { type: 'RESTRICTED' });
    const visible = await buildHoneyJar(t.em(), owner, { type: 'PUBLIC' });
    const ids = (await run(outsider, PAGE, { first: 100 })).data.honeyJars.nodes.map(
      (n: { id: string }) => n.id,
    );
    expect(ids).toContain(visible.id);
    expect(ids).not.toContain(hidden.id);
  });

  it('rejects first outside 1..100 and undecodable cursors, naming the argument', async () => {
    const viewer = buildViewer();
    for (const first of [0, 101, -5]) {
      expect((await run(viewer, PAGE, { first })).errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    }
    // Cursors that decode but hold a non-UUID id or a date PostgreSQL cannot store (500 before).
    const forged = (value: unknown[]) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const after of [
      'garbage!',
      forged([new Date().toISOString(), 'not-a-uuid']),
      forged(['+275760-09-13T00:00:00.000Z', '7d9f4c1e-2b3a-4c5d-8e6f-0a1b2c3d4e5f']),
      forged(['-000050-01-01T00:00:00.000Z', '7d9f4c1e-2b3a-4c5d-8e6f-0a1b2c3d4e5f']),
    ]) {
      expect((await run(viewer, PAGE, { after })).errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    }
  });

  it('refuses anonymous callers', async () => {
    expect((await run(null, PAGE, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('honeyJars filter', () => {
  const FILTERED = `query($first: Int, $after: String, $filter: HoneyJarFilter) {
    honeyJars(first: $first, after: $after, filter: $filter) { nodes { id name } pageInfo { hasNextPage endCursor } }
  }`;

  it('narrows by part of the name in any case, type and status, paging within the filter, and never past readability', async () => {
    const owner = buildViewer();
    const outsider = buildViewer();
    const tag = uniqueName().slice(-8);
    const made = async (name: string, type: 'PRIVATE' | 'TEAM' | 'PUBLIC' | 'RESTRICTED') =>
      (await buildHoneyJar(t.em(), owner, { name: `${name} ${tag}`, type })).id;
    const finance = await made('Finance reports', 'TEAM');
    const financeOld = await made('FINANCE archive', 'PRIVATE');
    const refinance = await made('Refinancing notes', 'PUBLIC');
    await made('Apiary', 'TEAM');
    const literal = await made('100% _honey_', 'PUBLIC');
    await run(owner, `mutation($id: ID!) { updateHoneyJar(id: $id, input: { status: ARCHIVED }) { id } }`, {
      id: financeOld,
    });
    const mine = new Set([finance, financeOld, refinance, literal]);
    // Other tests' jars may match too: only this test's are compared.
    const names = async (viewer: Viewer, filter: Record<string, unknown>) => {
      const r = await run(viewer, FILTERED, { first: 100, filter });
      expect(r.errors).toBeUndefined();
      const ids: string[] = r.data.honeyJars.nodes.map((n: { id: string }) => n.id);
      return ids.filter((id) => mine.has(id)).sort();
    };
    const sorted = (...ids: string[]) => ids.sort();
    expect(await names(owner, { name: 'FINANC' })).toEqual(sorted(finance, financeOld, refinance));
    expect(await names(owner, { name: `finance reports ${tag}` })).toEqual([finance]);
    expect(await names(owner, { name: 'financ', type: 'TEAM' })).toEqual([finance]);
    expect(await names(owner, { name: tag, status: 'ARCHIVED' })).toEqual([financeOld]);
    // % and _ are letters of the name, not wildcards.
    expect(await names(owner, { name: '100% _honey_' })).toEqual([literal]);
    expect(await names(owner, { name: '1_0%' })).toEqual([]);
    // Someone else sees only the PUBLIC ones, filter or not.
    expect(await names(outsider, { name: tag })).toEqual(sorted(refinance, literal));

    // Pages of one jar each walk the filtered list only.
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: any = await run(owner, FILTERED, { first: 1, after, filter: { name: tag, type: 'TEAM' } });
      seen.push(...page.data.honeyJars.nodes.map((n: { id: string }) => n.id));
      if (!page.data.honeyJars.pageInfo.hasNextPage) break;
      after = page.data.honeyJars.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(2);
    expect(seen).toContain(finance);
  });

  it('refuses an empty or overlong name as BAD_USER_INPUT naming the filter field', async () => {
    for (const name of ['  ', 'x'.repeat(121)]) {
      const r = await run(buildViewer(), FILTERED, { filter: { name } });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.name' });
    }
  });
});

describe('batching', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HoneyJar { id name } } }`;

  it('resolves N HoneyJar references with one SQL query', async () => {
    const owner = buildViewer();
    const jars = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => buildHoneyJar(t.em(), owner, { type: 'PUBLIC' })),
    );
    const { result, queries } = await countQueries(t.orm, () =>
      run(SYSTEM, ENTITIES, { r: jars.map((j) => ({ __typename: 'HoneyJar', id: j.id })) }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.map((j: { id: string }) => j.id)).toEqual(jars.map((j) => j.id));
    expect(queries.filter((q) => /^select/i.test(q))).toHaveLength(1);
  });

  it('checks a member’s access to N shared jars with a constant number of queries, hiding the rest', async () => {
    const owner = buildViewer();
    const member = buildViewer();
    const shared = await Promise.all([1, 2, 3, 4].map(() => buildHoneyJar(t.em(), owner, { type: 'TEAM' })));
    for (const jar of shared.slice(0, 3)) await addMember(t.em(), jar, member);
    const { result, queries } = await countQueries(t.orm, () =>
      run(member, ENTITIES, { r: shared.map((j) => ({ __typename: 'HoneyJar', id: j.id })) }),
    );
    expect(result.data._entities.map((j: { id: string } | null) => j?.id ?? null)).toEqual([
      ...shared.slice(0, 3).map((j) => j.id),
      null,
    ]);
    expect(queries.filter((q) => /^select/i.test(q))).toHaveLength(2);
  });
});

describe('HoneyJar.members', () => {
  const MEMBERS = `query($id: ID!) { honeyJar(id: $id) { members { nodes { id } } } }`;

  it('lists the members of a shared jar, oldest first, to its owner, members and admins', async () => {
    const owner = buildViewer();
    const [first, second] = [buildViewer(), buildViewer()];
    const team = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    await addMember(t.em(), team, first);
    await addMember(t.em(), team, second);
    const ids = [{ id: first.id }, { id: second.id }];
    for (const viewer of [owner, first, buildViewer('ADMIN')])
      expect((await run(viewer, MEMBERS, { id: team.id })).data.honeyJar.members.nodes).toEqual(ids);

    // A PUBLIC jar is read by everyone and has no members.
    const open = await buildHoneyJar(t.em(), owner, { type: 'PUBLIC' });
    expect((await run(buildViewer(), MEMBERS, { id: open.id })).data.honeyJar.members.nodes).toEqual([]);
    const restricted = await buildHoneyJar(t.em(), owner, { type: 'RESTRICTED' });
    await addMember(t.em(), restricted, first);
    // A member of one jar sees nothing of another's members (nor the jar).
    expect((await run(second, MEMBERS, { id: restricted.id })).data.honeyJar).toBeNull();
  });

  it('pages the members in the order they were added, counted, and goes on after a member removed since', async () => {
    const owner = buildViewer();
    const team = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    const people = [buildViewer(), buildViewer(), buildViewer(), buildViewer(), buildViewer()];
    for (const person of people) await addMember(t.em(), team, person);
    // In the order they were added (ties, within a millisecond, by membership id).
    const added = await t
      .em()
      .fork()
      .find(HoneyJarMember, { honeyJar: team.id }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const ids = added.map((m) => ({ id: m.userId }));
    const PAGE = `query($id: ID!, $first: Int, $after: String) { honeyJar(id: $id) {
      members(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } totalCount }
    } }`;
    const page = async (after?: string) =>
      (await run(owner, PAGE, { id: team.id, first: 2, after })).data.honeyJar.members;
    const first = await page();
    expect(first.nodes).toEqual(ids.slice(0, 2));
    expect(first).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    // The last member of the page leaves: the next page still starts after where that one was.
    await t.em().nativeDelete(HoneyJarMember, { honeyJar: team.id, userId: ids[1].id });
    const second = await page(first.pageInfo.endCursor);
    expect(second.nodes).toEqual(ids.slice(2, 4));
    expect(second.totalCount).toBe(4);
    const third = await page(second.pageInfo.endCursor);
    expect(third).toMatchObject({ nodes: [ids[4]], pageInfo: { hasNextPage: false } });
    for (const [variables, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 201 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const r = await run(owner, PAGE, { id: team.id, ...variables });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('reads the pages of every jar of a request in one statement, and counts only when asked', async () => {
    const owner = buildViewer();
    const jars = await Promise.all([1, 2, 3].map(() => buildHoneyJar(t.em(), owner, { type: 'TEAM' })));
    const people = [buildViewer(), buildViewer(), buildViewer()];
    for (const [i, jar] of jars.entries())
      for (const person of people.slice(0, i + 1)) await addMember(t.em(), jar, person);
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HoneyJar {
      members(first: 2) { nodes { id } pageInfo { hasNextPage } COUNT } } } }`;
    const representations = jars.map((j) => ({ __typename: 'HoneyJar', id: j.id }));
    const counted = await countQueries(t.orm, () =>
      run(owner, ENTITIES.replace('COUNT', 'totalCount'), { r: representations }),
    );
    expect(
      counted.result.data._entities.map((j: any) => [
        j.members.nodes.length,
        j.members.pageInfo.hasNextPage,
        j.members.totalCount,
      ]),
    ).toEqual([
      [1, false, 1],
      [2, false, 2],
      [2, true, 3],
    ]);
    const uncounted = await countQueries(t.orm, () =>
      run(owner, ENTITIES.replace('COUNT', ''), { r: representations }),
    );
    const selects = (queries: string[]) => queries.filter((q) => /^select/i.test(q));
    // The jars, the viewer's memberships among them, the pages; the count is one more.
    expect(selects(uncounted.queries)).toHaveLength(3);
    expect(selects(counted.queries)).toHaveLength(4);
    expect(selects(uncounted.queries).filter((q) => /count\(/i.test(q))).toEqual([]);
  });
});
