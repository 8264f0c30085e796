// Finding 1 on the real platform: an open graphql-ws socket follows its viewer. Signing the session out from another
// connection closes the socket with 4401 before the next alert reaches it; an administrator demoted to MEMBER
// directly in the identity database stops receiving alertRaised (4403) once the session cache entry (5 s) expires.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { followAlerts } from './alert-socket.ts';
import { ADMIN, graphql, startIntegrationPlatform, waitFor, type IntegrationPlatform } from './platform.ts';

let it_: IntegrationPlatform;
const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const RAISE = 'mutation ($t: String!) { raiseAlert(input: { severity: CRITICAL, title: $t }) { id } }';
const OPS = { email: 'ops-admin@example.com', password: 'another long password' };

const login = async (who: { email: string; password: string }) =>
  (await graphql(it_.url, LOGIN, { e: who.email, p: who.password })).data.login.token as string;

const follow = (token: string) => followAlerts(it_.url, token);

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded');
  const admin = await login(ADMIN);
  await graphql(
    it_.url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { ...OPS, displayName: 'Ops', role: 'ADMIN' } },
    admin,
  );
}, 60_000);
afterAll(() => it_?.stop());

describe('graphql-ws sockets re-check their viewer', () => {
  it('closes with 4401 once the session is signed out from another connection', async () => {
    const socketToken = await login(ADMIN);
    const other = await login(ADMIN);
    const socket = follow(socketToken);
    // Alerts until the subscription is live.
    await waitFor(async () => {
      await graphql(it_.url, RAISE, { t: `warm-up ${Date.now()}` }, other);
      return socket.titles.length > 0;
    }, 10_000);
    expect((await graphql(it_.url, 'mutation { logout }', undefined, socketToken)).data.logout).toBe(true);
    await graphql(it_.url, RAISE, { t: 'after logout' }, other);
    await waitFor(() => socket.closedWith() === 4401, 10_000);
    expect(socket.titles).not.toContain('after logout');
    await socket.client.dispose();
  }, 30_000);

  it('closes with 4403 when the role is changed directly in the identity database', async () => {
    const socketToken = await login(OPS);
    const other = await login(ADMIN);
    const socket = follow(socketToken);
    await waitFor(async () => {
      await graphql(it_.url, RAISE, { t: `warm-up ops ${Date.now()}` }, other);
      return socket.titles.length > 0;
    }, 10_000);
    const db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
    await db.query(`update identity."user" set role = 'MEMBER' where email = $1`, [OPS.email]);
    await db.end();
    await new Promise((resolve) => setTimeout(resolve, 5500)); // the session cache's lifetime, as for HTTP
    await graphql(it_.url, RAISE, { t: 'after demotion' }, other);
    await waitFor(() => socket.closedWith() === 4403, 10_000);
    expect(socket.titles).not.toContain('after demotion');
    await socket.client.dispose();
  }, 40_000);
});
