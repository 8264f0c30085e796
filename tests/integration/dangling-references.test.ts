// A honey jar whose owner no longer exists (issue 7, finding 7): identity resolves the dangling User reference to
// a "Deleted user" placeholder, so listings keep every jar over GraphQL and REST instead of answering null.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { ADMIN, graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

describe('a honey jar whose owner was deleted', () => {
  let it_: IntegrationPlatform;
  let admin: string;
  let jarId: string;
  let ownerId: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform('embedded');
    admin = (await graphql(it_.url, LOGIN, { e: ADMIN.email, p: ADMIN.password })).data.login.token;
    const email = `gone-${Date.now()}@example.com`;
    const created = await graphql(
      it_.url,
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { email, displayName: 'Soon Gone', password: 'a long enough password', role: 'MEMBER' } },
      admin,
    );
    ownerId = created.data.createUser.id;
    const token = (await graphql(it_.url, LOGIN, { e: email, p: 'a long enough password' })).data.login.token;
    const jar = await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Orphaned", type: PUBLIC }) { id } }',
      undefined,
      token,
    );
    jarId = jar.data.createHoneyJar.id;
    await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Still owned" }) { id } }',
      undefined,
      admin,
    );
    // Deleting people properly belongs to identity's own lifecycle; here the row simply disappears.
    const db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
    await db.query('delete from identity."user" where id = $1', [ownerId]);
    await db.end();
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('still lists every jar over GraphQL, the orphan with a "Deleted user" placeholder as its owner', async () => {
    const result = await graphql(
      it_.url,
      '{ honeyJars(first: 100) { nodes { id name owner { id displayName email deleted } } } }',
      undefined,
      admin,
    );
    expect(result.errors).toBeUndefined();
    const names = result.data.honeyJars.nodes.map((j: { name: string }) => j.name);
    expect(names).toEqual(expect.arrayContaining(['Orphaned', 'Still owned']));
    const orphan = result.data.honeyJars.nodes.find((j: { id: string }) => j.id === jarId);
    expect(orphan.owner).toEqual({ id: ownerId, displayName: 'Deleted user', email: null, deleted: true });
    const owned = result.data.honeyJars.nodes.find((j: { name: string }) => j.name === 'Still owned');
    expect(owned.owner).toMatchObject({ deleted: false });
  });

  it('answers the single jar too', async () => {
    const result = await graphql(
      it_.url,
      'query ($id: ID!) { honeyJar(id: $id) { name owner { displayName } } }',
      { id: jarId },
      admin,
    );
    expect(result).toEqual({
      data: { honeyJar: { name: 'Orphaned', owner: { displayName: 'Deleted user' } } },
    });
  });

  it('lists it over REST with the placeholder owner, not {"data": null}', async () => {
    const response = await fetch(new URL('/api/v1/honey-pots?first=100', it_.url), {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown };
    expect(body.data).not.toBeNull();
    expect(JSON.stringify(body.data)).toContain(jarId);
    expect(JSON.stringify(body.data)).toContain('Deleted user');
  });
});
