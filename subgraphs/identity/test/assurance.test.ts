// Step-up for sensitive operations: who must have proven a second factor in the last 15 minutes, and who is
// refused outright (API keys, admins without a second factor when that is required).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import type { Viewer } from '@sting/kit';
import { subgraph } from '../src/index.ts';
import { Session } from '../src/entities/session.ts';
import { requireFreshSecondFactor, STEP_UP_WINDOW_MS } from '../src/domain/assurance.ts';
import { buildUser } from './factories.ts';
import { enrolTotp, failure, sessionViewer } from './support/second-factor.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const OFF = { requireMfaForAdmins: false };
const ON = { requireMfaForAdmins: true };

describe('requireFreshSecondFactor', () => {
  it('lets people without a second factor through, admins too unless they are required to have one', async () => {
    const member = await buildUser(t.em());
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    await expect(
      requireFreshSecondFactor(t.em(), (await sessionViewer(t.em(), member)).viewer, ON),
    ).resolves.toBeUndefined();
    const adminViewer = (await sessionViewer(t.em(), admin)).viewer;
    await expect(requireFreshSecondFactor(t.em(), adminViewer, OFF)).resolves.toBeUndefined();
    const refused = await failure(requireFreshSecondFactor(t.em(), adminViewer, ON));
    expect(refused.code).toBe('STEP_UP_REQUIRED');
    expect(refused.message).toMatch(/enrol a second factor/);
  });

  it('asks anyone enrolled for a session that proved the second factor within 15 minutes', async () => {
    const user = await buildUser(t.em());
    await enrolTotp(t.em(), user);
    const plain = await sessionViewer(t.em(), user, 'aal1');
    expect((await failure(requireFreshSecondFactor(t.em(), plain.viewer, OFF))).code).toBe(
      'STEP_UP_REQUIRED',
    );

    const strong = await sessionViewer(t.em(), user, 'aal2');
    await expect(requireFreshSecondFactor(t.em(), strong.viewer, OFF)).resolves.toBeUndefined();

    await t.em().nativeUpdate(
      Session,
      { id: strong.issued.session.id },
      {
        secondFactorAt: new Date(Date.now() - STEP_UP_WINDOW_MS - 1000),
      },
    );
    const stale = await failure(requireFreshSecondFactor(t.em(), strong.viewer, OFF));
    expect(stale.code).toBe('STEP_UP_REQUIRED');
    expect(stale.message).toMatch(/Confirm with your second factor/);
  });

  it('leaves second factors to Kratos in Kratos mode, still refusing callers without a session', async () => {
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    const kratos = { requireMfaForAdmins: true, provider: 'kratos' as const };
    const viewer = (await sessionViewer(t.em(), admin)).viewer;
    await expect(requireFreshSecondFactor(t.em(), viewer, kratos)).resolves.toBeUndefined();
    const keyed = { ...viewer, apiKey: { id: 'k', scopes: ['admin'] } } as Viewer;
    expect((await failure(requireFreshSecondFactor(t.em(), keyed, kratos))).code).toBe('STEP_UP_REQUIRED');
  });

  it("does not take another person's fresh session as the caller's", async () => {
    const user = await buildUser(t.em());
    await enrolTotp(t.em(), user);
    const someone = await buildUser(t.em());
    const theirs = await sessionViewer(t.em(), someone, 'aal2');
    const viewer: Viewer = { kind: 'user', id: user.id, role: 'MEMBER', sessionId: theirs.issued.session.id };
    expect((await failure(requireFreshSecondFactor(t.em(), viewer, OFF))).code).toBe('STEP_UP_REQUIRED');
  });

  it('refuses API-key and system callers, and asks anonymous ones to sign in', async () => {
    const user = await buildUser(t.em());
    const apiKey: Viewer = {
      kind: 'user',
      id: user.id,
      role: user.role,
      apiKey: { id: crypto.randomUUID(), scopes: ['admin'] },
    };
    expect((await failure(requireFreshSecondFactor(t.em(), apiKey, OFF))).code).toBe('STEP_UP_REQUIRED');
    expect((await failure(requireFreshSecondFactor(t.em(), { kind: 'system' }, OFF))).code).toBe(
      'STEP_UP_REQUIRED',
    );
    expect((await failure(requireFreshSecondFactor(t.em(), null, OFF))).code).toBe('UNAUTHENTICATED');
  });
});
