// Signing in with a second factor, through the subgraph's GraphQL schema on a real database: an authenticator
// app makes a code necessary (no session without it), a good code or an unused recovery code gives an aal2
// session, and each attempt is in the audit log. The person's own TOTP and step-up mutations end to end.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import type { Viewer } from '@sting/kit';
import { subgraph } from '../src/index.ts';
import { Session } from '../src/entities/session.ts';
import { buildUser, TEST_PASSWORD, uniqueEmail } from './factories.ts';
import { auditActions, codeFor, letTimePass, sessionViewer } from './support/second-factor.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, {
    config: { identity: { secondFactor: { key: randomBytes(32).toString('hex'), issuer: 'STING' } } },
  });
});
afterAll(async () => {
  await t.close();
});

const LOGIN = `mutation($e: String!, $p: String!, $c: String) {
  login(email: $e, password: $p, secondFactor: $c) { token aal user { id } }
}`;

/** Enrols through the API: start, read the secret, confirm with its first code. */
async function enrolThroughApi(viewer: Viewer) {
  const started = await t.run(viewer, `mutation { startTotpEnrollment { secret otpauthUri } }`);
  expect(started.errors).toBeUndefined();
  const { secret, otpauthUri } = started.data.startTotpEnrollment;
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/STING:/);
  const confirmed = await t.run(
    viewer,
    `mutation($c: String!) { confirmTotpEnrollment(code: $c) { codes } }`,
    {
      c: await codeFor(secret),
    },
  );
  expect(confirmed.errors).toBeUndefined();
  return { secret: secret as string, codes: confirmed.data.confirmTotpEnrollment.codes as string[] };
}

describe('login with a second factor', () => {
  it('signs in people without an authenticator app at aal1, as before', async () => {
    const user = await buildUser(t.em());
    const result = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD });
    expect(result.errors).toBeUndefined();
    expect(result.data.login.aal).toBe('aal1');
    expect(await auditActions(t.em(), user.id)).toEqual(['auth.sign_in']);
  });

  it('asks for the code, makes no session without a valid one, and gives aal2 with one', async () => {
    const user = await buildUser(t.em());
    const { viewer } = await sessionViewer(t.em(), user);
    const { secret } = await enrolThroughApi(viewer);
    const sessionsBefore = await t.em().count(Session, { user: user.id });

    const missing = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD });
    expect(missing.errors?.[0].extensions?.code).toBe('SECOND_FACTOR_REQUIRED');
    expect(missing.data).toBeNull();
    const wrong = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD, c: '000000' });
    expect(wrong.errors?.[0].extensions?.code).toBe('SECOND_FACTOR_REQUIRED');
    expect(wrong.errors?.[0].message).toMatch(/not valid/);
    // A wrong password is still just a wrong password: the code is never looked at.
    const badPassword = await t.run(null, LOGIN, {
      e: user.email,
      p: 'wrong password!!',
      c: await codeFor(secret),
    });
    expect(badPassword.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await t.em().count(Session, { user: user.id })).toBe(sessionsBefore);

    await letTimePass(t.em(), user.id);
    const good = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD, c: await codeFor(secret) });
    expect(good.errors).toBeUndefined();
    expect(good.data.login.aal).toBe('aal2');
    const session = await t
      .em()
      .findOneOrFail(Session, { user: user.id }, { orderBy: { createdAt: 'desc' } });
    expect(session).toMatchObject({ aal: 'aal2', method: 'password' });
    expect(Date.now() - session.secondFactorAt!.getTime()).toBeLessThan(5000);

    expect(await auditActions(t.em(), user.id)).toEqual([
      'auth.totp.enrolled',
      'auth.second_factor.failed:failure',
      'auth.sign_in',
    ]);
  });

  it('takes an unused recovery code instead of a TOTP code, once', async () => {
    const user = await buildUser(t.em());
    const { codes } = await enrolThroughApi((await sessionViewer(t.em(), user)).viewer);
    const first = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD, c: codes[0] });
    expect(first.data?.login.aal).toBe('aal2');
    const again = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD, c: codes[0] });
    expect(again.errors?.[0].extensions?.code).toBe('SECOND_FACTOR_REQUIRED');
    const status = await t.run(
      (await sessionViewer(t.em(), user)).viewer,
      `{ secondFactor { totpEnrolled recoveryCodesLeft passkeyCount } }`,
    );
    expect(status.data.secondFactor).toEqual({ totpEnrolled: true, recoveryCodesLeft: 9, passkeyCount: 0 });
    expect(await auditActions(t.em(), user.id)).toContain('auth.recovery_code.used');
  });

  it('records failed sign-ins without naming whose account was tried', async () => {
    const email = uniqueEmail('nobody');
    const result = await t.run(null, LOGIN, { e: email, p: TEST_PASSWORD });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const [row] = await t
      .em()
      .execute(
        `select actor_type, outcome, target_id, details from ${t.orm.config.get('schema')}.audit_event where action = 'auth.sign_in' order by seq desc limit 1`,
      );
    expect(row).toMatchObject({ actor_type: 'anonymous', outcome: 'failure', target_id: null });
    expect(JSON.stringify(row.details)).not.toContain(email);
  });
});

describe('step-up and the second factor through the API', () => {
  it('verifySecondFactor raises this session to aal2; regenerateRecoveryCodes then works', async () => {
    const user = await buildUser(t.em());
    const { viewer, issued } = await sessionViewer(t.em(), user);
    const { secret } = await enrolThroughApi(viewer);
    const tooSoon = await t.run(viewer, `mutation { regenerateRecoveryCodes { codes } }`);
    expect(tooSoon.errors?.[0].extensions?.code).toBe('STEP_UP_REQUIRED');

    await letTimePass(t.em(), user.id);
    const verified = await t.run(viewer, `mutation($c: String!) { verifySecondFactor(code: $c) }`, {
      c: await codeFor(secret),
    });
    expect(verified.data?.verifySecondFactor).toBe(true);
    expect((await t.em().findOneOrFail(Session, { id: issued.session.id })).aal).toBe('aal2');
    const fresh = await t.run(viewer, `mutation { regenerateRecoveryCodes { codes } }`);
    expect(fresh.data?.regenerateRecoveryCodes.codes).toHaveLength(10);
  });

  it('turns the authenticator off with a code, after which a password alone signs in again', async () => {
    const user = await buildUser(t.em());
    const { viewer } = await sessionViewer(t.em(), user);
    const { codes } = await enrolThroughApi(viewer);
    const off = await t.run(viewer, `mutation($c: String!) { disableTotp(code: $c) }`, { c: codes[1] });
    expect(off.data?.disableTotp).toBe(true);
    const plain = await t.run(null, LOGIN, { e: user.email, p: TEST_PASSWORD });
    expect(plain.data?.login.aal).toBe('aal1');
  });

  it('is refused to API keys and anonymous callers', async () => {
    const user = await buildUser(t.em());
    const key: Viewer = {
      kind: 'user',
      id: user.id,
      role: user.role,
      apiKey: { id: randomUUID(), scopes: ['admin'] },
    };
    const byKey = await t.run(key, `mutation { startTotpEnrollment { secret } }`);
    expect(byKey.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await t.run(null, `{ secondFactor { totpEnrolled } }`);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('with Kratos as the identity provider', () => {
  it('leaves second factors and passkeys to Kratos', async () => {
    const kratos = await startTestRuntime(subgraph, { config: { identity: { provider: 'kratos' } } });
    try {
      const user = await buildUser(kratos.em());
      const viewer: Viewer = { kind: 'user', id: user.id, role: user.role, sessionId: randomUUID() };
      for (const [who, query] of [
        [viewer, 'mutation { startTotpEnrollment { secret } }'],
        [viewer, 'mutation { startPasskeyRegistration }'],
        [null, 'mutation { startPasskeySignIn { challengeId } }'],
      ] as const) {
        const result = await kratos.run(who, query);
        expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(result.errors?.[0].message).toMatch(/identity provider/);
      }
    } finally {
      await kratos.close();
    }
  });
});
