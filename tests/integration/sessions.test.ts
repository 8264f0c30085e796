// Sessions through the real gateway and identity: the login cookie, sign-out clearing it and the gateway's
// cache, a refused token once its session is gone, and sign-out that ends one session only.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import {
  ADMIN,
  postGraphQL as post,
  startIntegrationPlatform,
  type IntegrationPlatform,
} from './platform.ts';

const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt } }';
const ME = '{ me { email } }';

describe('sessions', () => {
  let it_: IntegrationPlatform;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform('embedded');
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  const login = (headers: Record<string, string> = {}) =>
    post(it_.url, LOGIN, headers, { e: ADMIN.email, p: ADMIN.password });

  it('sets the session cookie on login: HttpOnly, SameSite=Lax, Path=/, for the session lifetime', async () => {
    const result = await login();
    expect(result.body.errors).toBeUndefined();
    const cookie = result.headers.get('set-cookie') ?? '';
    expect(cookie.startsWith(`sting_session=${encodeURIComponent(result.body.data.login.token)};`)).toBe(
      true,
    );
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(24 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(24 * 3600);
    const me = await post(it_.url, ME, { cookie: `sting_session=${result.body.data.login.token}` });
    expect(me.body.data.me.email).toBe(ADMIN.email);
  });

  it('does not mark the cookie Secure on a client’s own X-Forwarded-Proto (no proxy is trusted by default)', async () => {
    const result = await login({ 'x-forwarded-proto': 'https' });
    expect(result.headers.get('set-cookie')).toMatch(/^sting_session=/);
    expect(result.headers.get('set-cookie')).not.toContain('Secure');
  });

  it("logout in one session leaves the User's other session signed in", async () => {
    const first = (await login()).body.data.login.token;
    const second = (await login()).body.data.login.token;
    const out = await post(it_.url, 'mutation { logout }', { authorization: `Bearer ${first}` });
    expect(out.body).toEqual({ data: { logout: true } });
    expect((await post(it_.url, ME, { authorization: `Bearer ${first}` })).status).toBe(401);
    const other = await post(it_.url, ME, { authorization: `Bearer ${second}` });
    expect(other.status).toBe(200);
    expect(other.body.data.me.email).toBe(ADMIN.email);
  });

  it('logout clears the cookie, and the token is refused at once (the gateway forgot it)', async () => {
    const { token } = (await login()).body.data.login;
    const warm = await post(it_.url, ME, { authorization: `Bearer ${token}` });
    expect(warm.body.data.me.email).toBe(ADMIN.email);
    const out = await post(it_.url, 'mutation { logout }', { cookie: `sting_session=${token}` });
    expect(out.body).toEqual({ data: { logout: true } });
    expect(out.headers.get('set-cookie')).toMatch(/^sting_session=;.*Max-Age=0/);
    const after = await post(it_.url, ME, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
