// Passkeys against a real database, with a software authenticator built from the WebAuthn spec: registration,
// sign-in without a password (aal2), the person's own list, and every refusal — wrong origin, relying party or
// challenge, a replayed challenge, a bad signature, a counter going back, no user verification.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import type { Viewer } from '@sting/kit';
import { subgraph } from '../src/index.ts';
import { Passkey } from '../src/entities/passkey.ts';
import { Session } from '../src/entities/session.ts';
import { WebauthnChallenge } from '../src/entities/webauthn-challenge.ts';
import { findSession } from '../src/domain/sessions.ts';
import { MAX_PASSKEYS } from '../src/domain/passkeys/registration.ts';
import { User } from '../src/entities/user.ts';
import { buildUser } from './factories.ts';
import { auditActions, enrolTotp, sessionViewer } from './support/second-factor.ts';
import { SoftAuthenticator, type Bend } from './support/soft-authenticator.ts';

const ORIGIN = 'http://localhost:4000';
let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, {
    config: {
      identity: {
        secondFactor: { key: randomBytes(32).toString('hex') },
        webauthn: { rpId: 'localhost', rpName: 'STING', origins: [ORIGIN] },
      },
    },
  });
});
afterAll(async () => {
  await t.close();
});

const START_REGISTRATION = `mutation { startPasskeyRegistration }`;
const FINISH_REGISTRATION = `mutation($n: String!, $r: String!) {
  finishPasskeyRegistration(name: $n, response: $r) { id name createdAt lastUsedAt backedUp }
}`;
const START_SIGN_IN = `mutation($e: String) { startPasskeySignIn(email: $e) { challengeId optionsJson } }`;
const FINISH_SIGN_IN = `mutation($c: ID!, $r: String!) {
  finishPasskeySignIn(challengeId: $c, response: $r) { token aal user { id } }
}`;

async function register(viewer: Viewer, authenticator: SoftAuthenticator, bend: Bend = {}, name = 'Laptop') {
  const options = await t.run(viewer, START_REGISTRATION);
  expect(options.errors).toBeUndefined();
  const parsed = JSON.parse(options.data.startPasskeyRegistration);
  expect(parsed.authenticatorSelection).toMatchObject({
    residentKey: 'required',
    userVerification: 'required',
  });
  return t.run(viewer, FINISH_REGISTRATION, {
    n: name,
    r: authenticator.register(options.data.startPasskeyRegistration, bend),
  });
}

async function registered(user: User) {
  const authenticator = new SoftAuthenticator(ORIGIN);
  const { viewer } = await sessionViewer(t.em(), user);
  const result = await register(viewer, authenticator);
  expect(result.errors).toBeUndefined();
  return { authenticator, viewer, passkey: result.data.finishPasskeyRegistration };
}

async function signIn(authenticator: SoftAuthenticator, bend: Bend = {}, email?: string) {
  const started = await t.run(null, START_SIGN_IN, { e: email ?? null });
  expect(started.errors).toBeUndefined();
  const { challengeId, optionsJson } = started.data.startPasskeySignIn;
  const response = authenticator.signIn(optionsJson, bend);
  return {
    challengeId,
    optionsJson,
    response,
    result: await t.run(null, FINISH_SIGN_IN, { c: challengeId, r: response }),
  };
}

describe('registering a passkey', () => {
  it('stores a verified passkey under its name, and lists it for its owner only', async () => {
    const user = await buildUser(t.em());
    const { viewer, passkey } = await registered(user);
    expect(passkey).toMatchObject({ name: 'Laptop', lastUsedAt: null, backedUp: false });
    const listed = await t.run(viewer, `{ passkeys { id name } secondFactor { passkeyCount } }`);
    expect(listed.data).toEqual({
      passkeys: [{ id: passkey.id, name: 'Laptop' }],
      secondFactor: { passkeyCount: 1 },
    });
    const other = (await sessionViewer(t.em(), await buildUser(t.em()))).viewer;
    expect((await t.run(other, `{ passkeys { id } }`)).data.passkeys).toEqual([]);
    expect(await auditActions(t.em(), user.id)).toEqual(['auth.passkey.added']);
    // The challenge was used up.
    expect(await t.em().count(WebauthnChallenge, { user: user.id, purpose: 'registration' })).toBe(0);
  });

  it('refuses a response from another origin, for another relying party, or without user verification', async () => {
    const user = await buildUser(t.em());
    const { viewer } = await sessionViewer(t.em(), user);
    for (const bend of [
      { origin: 'http://evil.example' },
      { rpId: 'evil.example' },
      { userVerified: false },
    ]) {
      const result = await register(viewer, new SoftAuthenticator(ORIGIN), bend);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await t.em().count(Passkey, { user: user.id })).toBe(0);
  });

  it('refuses an answer to a challenge it never issued, and a challenge answered twice', async () => {
    const user = await buildUser(t.em());
    const { viewer } = await sessionViewer(t.em(), user);
    const authenticator = new SoftAuthenticator(ORIGIN);
    const options = (await t.run(viewer, START_REGISTRATION)).data.startPasskeyRegistration;
    const forged = await t.run(viewer, FINISH_REGISTRATION, {
      n: 'Forged',
      r: authenticator.register(options, { challenge: randomBytes(32).toString('base64url') }),
    });
    expect(forged.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const response = authenticator.register(options);
    expect((await t.run(viewer, FINISH_REGISTRATION, { n: 'Once', r: response })).errors).toBeUndefined();
    const replayed = await t.run(viewer, FINISH_REGISTRATION, { n: 'Twice', r: response });
    expect(replayed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await t.em().count(Passkey, { user: user.id })).toBe(1);
  });

  it('asks someone who already has a second factor to confirm it first', async () => {
    const user = await buildUser(t.em());
    await enrolTotp(t.em(), user);
    const { viewer } = await sessionViewer(t.em(), user, 'aal1');
    expect((await t.run(viewer, START_REGISTRATION)).errors?.[0].extensions?.code).toBe('STEP_UP_REQUIRED');
    const { viewer: fresh } = await sessionViewer(t.em(), user, 'aal2');
    expect((await register(fresh, new SoftAuthenticator(ORIGIN))).errors).toBeUndefined();
  });

  it('holds a person to MAX_PASSKEYS, even when registrations started at once all finish', async () => {
    const user = await buildUser(t.em());
    const em = t.em();
    for (let i = 0; i < MAX_PASSKEYS - 2; i++)
      em.create(Passkey, {
        user: user.id,
        credentialId: randomBytes(32).toString('base64url'),
        publicKey: randomBytes(64).toString('base64url'),
        name: `old ${i}`,
      });
    await em.flush();
    const { viewer } = await sessionViewer(t.em(), user, 'aal2');
    // Four started while there was room for two: each passed the check at its start.
    const started = await Promise.all([1, 2, 3, 4].map(() => t.run(viewer, START_REGISTRATION)));
    const finished = await Promise.all(
      started.map((options, i) =>
        t.run(viewer, FINISH_REGISTRATION, {
          n: `new ${i}`,
          r: new SoftAuthenticator(ORIGIN).register(options.data.startPasskeyRegistration),
        }),
      ),
    );
    expect(finished.filter((r) => !r.errors)).toHaveLength(2);
    expect(finished.flatMap((r) => r.errors ?? []).map((e) => e.message)).toEqual([
      `At most ${MAX_PASSKEYS} passkeys; remove one first`,
      `At most ${MAX_PASSKEYS} passkeys; remove one first`,
    ]);
    expect(await t.em().count(Passkey, { user: user.id })).toBe(MAX_PASSKEYS);
  });

  it('refuses malformed responses as bad input and API keys outright', async () => {
    const user = await buildUser(t.em());
    const { viewer } = await sessionViewer(t.em(), user);
    await t.run(viewer, START_REGISTRATION);
    for (const r of ['not json', '[]', '{"id":"x"}']) {
      const result = await t.run(viewer, FINISH_REGISTRATION, { n: 'Bad', r });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const key: Viewer = {
      kind: 'user',
      id: user.id,
      role: user.role,
      apiKey: { id: randomUUID(), scopes: ['admin'] },
    };
    expect((await t.run(key, START_REGISTRATION)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('signing in with a passkey', () => {
  it('signs in without a password at aal2, counting the authenticator forward', async () => {
    const user = await buildUser(t.em());
    const { authenticator, passkey } = await registered(user);
    const { result } = await signIn(authenticator);
    expect(result.errors).toBeUndefined();
    expect(result.data.finishPasskeySignIn).toMatchObject({ aal: 'aal2', user: { id: user.id } });
    const session = await findSession(t.em(), result.data.finishPasskeySignIn.token);
    expect(session).toMatchObject({ aal: 'aal2', method: 'passkey' });
    const stored = await t.em().findOneOrFail(Passkey, { id: passkey.id });
    expect(stored.counter).toBe(1);
    expect(stored.lastUsedAt).not.toBeNull();
    expect(await auditActions(t.em(), user.id)).toEqual([
      'auth.passkey.added',
      'auth.passkey.sign_in',
      'auth.sign_in',
    ]);
  });

  it('answers an email with passkeys, one without, and an unknown one alike, and still signs the named person in', async () => {
    const user = await buildUser(t.em());
    const withoutPasskeys = await buildUser(t.em());
    const { authenticator } = await registered(user);
    const named = await signIn(authenticator, {}, user.email.toUpperCase());
    expect(named.result.data?.finishPasskeySignIn.aal).toBe('aal2');
    const shapes = [];
    for (const email of [user.email, withoutPasskeys.email, 'nobody.here@example.test']) {
      const started = await t.run(null, START_SIGN_IN, { e: email });
      const { challenge, ...rest } = JSON.parse(started.data.startPasskeySignIn.optionsJson);
      expect(challenge).toEqual(expect.any(String));
      shapes.push(rest);
    }
    expect(shapes[0]).toEqual({ ...shapes[1] });
    expect(shapes[2]).toEqual({ ...shapes[1] });
    expect(shapes[0]).toMatchObject({ allowCredentials: [], userVerification: 'required' });
  });

  it('refuses a passkey of someone other than the person named', async () => {
    const alice = await buildUser(t.em());
    const bob = await buildUser(t.em());
    const bobs = await registered(bob);
    await registered(alice);
    const started = await t.run(null, START_SIGN_IN, { e: alice.email });
    const { challengeId } = started.data.startPasskeySignIn;
    // Bob's authenticator answers Alice's challenge with Bob's credential.
    const anyOptions = JSON.stringify({
      ...JSON.parse(started.data.startPasskeySignIn.optionsJson),
      allowCredentials: [],
    });
    const result = await t.run(null, FINISH_SIGN_IN, {
      c: challengeId,
      r: bobs.authenticator.signIn(anyOptions),
    });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each<[string, Bend]>([
    ['another origin', { origin: 'http://localhost:9999' }],
    ['another relying party', { rpId: 'evil.example' }],
    ['another challenge', { challenge: randomBytes(32).toString('base64url') }],
    ['a registration ceremony type', { type: 'webauthn.create' }],
    ['a bad signature', { badSignature: true }],
    ['no user verification', { userVerified: false }],
  ])('refuses %s and makes no session', async (_label, bend) => {
    const user = await buildUser(t.em());
    const { authenticator } = await registered(user);
    const sessions = await t.em().count(Session, { user: user.id });
    const { result } = await signIn(authenticator, bend);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0].message).toBe('Passkey sign-in failed');
    expect(await t.em().count(Session, { user: user.id })).toBe(sessions);
    expect(await auditActions(t.em(), user.id)).toContain('auth.sign_in:failure');
  });

  it('refuses a replayed challenge: the same signed answer works once', async () => {
    const user = await buildUser(t.em());
    const { authenticator } = await registered(user);
    const first = await signIn(authenticator);
    expect(first.result.errors).toBeUndefined();
    const again = await t.run(null, FINISH_SIGN_IN, { c: first.challengeId, r: first.response });
    expect(again.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a counter that does not move forward (a cloned authenticator)', async () => {
    const user = await buildUser(t.em());
    const { authenticator } = await registered(user);
    expect((await signIn(authenticator, { counter: 5 })).result.errors).toBeUndefined();
    const { result } = await signIn(authenticator, { counter: 5 });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await signIn(authenticator, { counter: 3 })).result.errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await signIn(authenticator, { counter: 6 })).result.errors).toBeUndefined();
  });

  it('refuses an expired challenge and an unknown challenge id', async () => {
    const user = await buildUser(t.em());
    const { authenticator } = await registered(user);
    const started = (await t.run(null, START_SIGN_IN, {})).data.startPasskeySignIn;
    await t
      .em()
      .nativeUpdate(
        WebauthnChallenge,
        { id: started.challengeId },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    const expired = await t.run(null, FINISH_SIGN_IN, {
      c: started.challengeId,
      r: authenticator.signIn(started.optionsJson),
    });
    expect(expired.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await t.run(null, FINISH_SIGN_IN, {
      c: randomUUID(),
      r: authenticator.signIn(started.optionsJson),
    });
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a disabled person’s passkey', async () => {
    const user = await buildUser(t.em());
    const { authenticator } = await registered(user);
    await t.em().nativeUpdate(User, { id: user.id }, { disabledAt: new Date() });
    const { result } = await signIn(authenticator);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await t.em().count(Session, { user: user.id, method: 'passkey' })).toBe(0);
  });

  it('counts as a fresh second factor for sensitive operations', async () => {
    const user = await buildUser(t.em());
    const { authenticator } = await registered(user);
    const token = (await signIn(authenticator)).result.data.finishPasskeySignIn.token;
    const session = await findSession(t.em(), token);
    const viewer: Viewer = { kind: 'user', id: user.id, role: user.role, sessionId: session!.id };
    // Registering a second passkey needs a fresh second factor; this session has one.
    expect((await register(viewer, authenticator, {}, 'Phone')).errors).toBeUndefined();
  });
});

describe('managing passkeys', () => {
  it('renames and removes one’s own; another person’s is not found; removing needs a fresh second factor', async () => {
    const user = await buildUser(t.em());
    const { viewer, passkey } = await registered(user);
    const renamed = await t.run(
      viewer,
      `mutation($id: ID!) { renamePasskey(id: $id, name: "  Work laptop ") { name } }`,
      {
        id: passkey.id,
      },
    );
    expect(renamed.data?.renamePasskey.name).toBe('Work laptop');
    const blank = await t.run(viewer, `mutation($id: ID!) { renamePasskey(id: $id, name: " ") { name } }`, {
      id: passkey.id,
    });
    expect(blank.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const stranger = (await sessionViewer(t.em(), await buildUser(t.em()), 'aal2')).viewer;
    const theirs = await t.run(stranger, `mutation($id: ID!) { removePasskey(id: $id) }`, { id: passkey.id });
    expect(theirs.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const stale = await t.run(viewer, `mutation($id: ID!) { removePasskey(id: $id) }`, { id: passkey.id });
    expect(stale.errors?.[0].extensions?.code).toBe('STEP_UP_REQUIRED');
    const { viewer: fresh } = await sessionViewer(t.em(), user, 'aal2');
    expect(
      (await t.run(fresh, `mutation($id: ID!) { removePasskey(id: $id) }`, { id: passkey.id })).data
        ?.removePasskey,
    ).toBe(true);
    expect(await t.em().count(Passkey, { user: user.id })).toBe(0);
    expect(await auditActions(t.em(), user.id)).toEqual([
      'auth.passkey.added',
      'auth.passkey.renamed',
      'auth.passkey.removed',
    ]);
  });
});
