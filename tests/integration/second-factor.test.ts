// The second factor and passkeys through the real gateway and identity: signing in needs the authenticator's
// code once it is set up (no cookie without it), and a passkey sign-in sets the session cookie like login does.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { StingConfig } from '@sting/kit';
import { SoftAuthenticator } from '../../subgraphs/identity/test/support/soft-authenticator.ts';
import {
  ADMIN,
  graphql,
  postGraphQL as post,
  signIn,
  startIntegrationPlatform,
  type IntegrationPlatform,
} from './platform.ts';

const ORIGIN = 'http://localhost:4000';
const PERSON = { email: 'second.factor@example.com', password: 'a long enough password' };
const LOGIN = `mutation ($e: String!, $p: String!, $c: String) {
  login(email: $e, password: $p, secondFactor: $c) { token expiresAt aal }
}`;

/** A code of the step `offset` periods from now (each step's code is accepted once). */
const codeFor = (secret: string, offset = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

describe('second factor and passkeys through the gateway', () => {
  let it_: IntegrationPlatform;
  let secret: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform('embedded', {
      configure: (config) =>
        ({
          ...config,
          identity: {
            ...config.identity,
            // A key of its own, never the repository's keystore; the soft authenticator's origin.
            secondFactor: { ...config.identity.secondFactor, key: randomBytes(32).toString('hex') },
            webauthn: { ...config.identity.webauthn, rpId: 'localhost', origins: [ORIGIN] },
          },
        }) as StingConfig,
    });
    const admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
    const created = await graphql(
      it_.url,
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { ...PERSON, displayName: 'Second Factor' } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const token = await signIn(it_.url, PERSON.email, PERSON.password);
    const started = await graphql(it_.url, 'mutation { startTotpEnrollment { secret } }', undefined, token);
    secret = started.data.startTotpEnrollment.secret;
    const confirmed = await graphql(
      it_.url,
      'mutation ($c: String!) { confirmTotpEnrollment(code: $c) { codes } }',
      { c: await codeFor(secret, -1) },
      token,
    );
    expect(confirmed.data.confirmTotpEnrollment.codes).toHaveLength(10);
  }, 90_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('refuses a password alone with SECOND_FACTOR_REQUIRED (no session, no cookie), and signs in with the code', async () => {
    const missing = await post(it_.url, LOGIN, {}, { e: PERSON.email, p: PERSON.password });
    expect(missing.body.errors[0].extensions.code).toBe('SECOND_FACTOR_REQUIRED');
    expect(missing.body.data).toBeNull();
    expect(missing.headers.get('set-cookie')).toBeNull();

    const code = await codeFor(secret);
    const withCode = await post(it_.url, LOGIN, {}, { e: PERSON.email, p: PERSON.password, c: code });
    expect(withCode.body.errors).toBeUndefined();
    expect(withCode.body.data.login.aal).toBe('aal2');
    expect(withCode.headers.get('set-cookie')).toMatch(/^sting_session=/);
    // The same code a second time is refused: it was used. (The very same string: a code made again here
    // would belong to the next step when a 30 s boundary passed in between, and a later step is good.)
    const replayed = await post(it_.url, LOGIN, {}, { e: PERSON.email, p: PERSON.password, c: code });
    expect(replayed.body.errors[0].extensions.code).toBe('SECOND_FACTOR_REQUIRED');
  });

  it('registers a passkey from a fresh session, then signs in with it: the cookie is set and works', async () => {
    const signedIn = await graphql(it_.url, LOGIN, {
      e: PERSON.email,
      p: PERSON.password,
      c: await codeFor(secret, 1),
    });
    const token = signedIn.data.login.token;
    const authenticator = new SoftAuthenticator(ORIGIN);
    const options = await graphql(it_.url, 'mutation { startPasskeyRegistration }', undefined, token);
    const registered = await graphql(
      it_.url,
      'mutation ($r: String!) { finishPasskeyRegistration(name: "Laptop", response: $r) { name } }',
      { r: authenticator.register(options.data.startPasskeyRegistration) },
      token,
    );
    expect(registered.errors).toBeUndefined();

    const challenge = await post(it_.url, 'mutation { startPasskeySignIn { challengeId optionsJson } }');
    expect(challenge.headers.get('set-cookie')).toBeNull();
    const { challengeId, optionsJson } = challenge.body.data.startPasskeySignIn;
    const finished = await post(
      it_.url,
      'mutation ($c: ID!, $r: String!) { finishPasskeySignIn(challengeId: $c, response: $r) { token aal } }',
      {},
      { c: challengeId, r: authenticator.signIn(optionsJson) },
    );
    expect(finished.body.errors).toBeUndefined();
    expect(finished.body.data.finishPasskeySignIn.aal).toBe('aal2');
    const cookie = finished.headers.get('set-cookie') ?? '';
    expect(
      cookie.startsWith(`sting_session=${encodeURIComponent(finished.body.data.finishPasskeySignIn.token)};`),
    ).toBe(true);
    expect(cookie).toContain('HttpOnly');
    const me = await post(it_.url, '{ me { email } }', { cookie: cookie.split(';')[0] });
    expect(me.body.data.me.email).toBe(PERSON.email);
  });
});
