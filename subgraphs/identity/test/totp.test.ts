// TOTP against a real database: enrolment sealed at rest, confirmation with a first code, recovery codes hashed
// and single use, replay and guessing refused, turning it off, and step-up raising the session to aal2.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import type { Viewer } from '@sting/kit';
import { subgraph } from '../src/index.ts';
import { RecoveryCode } from '../src/entities/recovery-code.ts';
import { Session } from '../src/entities/session.ts';
import { TotpFactor } from '../src/entities/totp-factor.ts';
import {
  confirmTotpEnrollment,
  disableTotp,
  proveSecondFactor,
  regenerateRecoveryCodes,
  secondFactorStatus,
  verifySecondFactor,
} from '../src/domain/second-factor/second-factor.ts';
import { startTotpEnrollment, MAX_FAILED_ATTEMPTS } from '../src/domain/second-factor/totp.ts';
import { normalizeRecoveryCode } from '../src/domain/second-factor/recovery-codes.ts';
import { buildUser } from './factories.ts';
import {
  auditActions,
  codeFor,
  enrolTotp,
  failure,
  letTimePass,
  sessionViewer,
  SETTINGS,
  TOTP_KEY,
  TRAIL,
} from './support/second-factor.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const viewerOf = (user: { id: string; role: 'ADMIN' | 'MEMBER' | 'VIEWER' }): Viewer => ({
  kind: 'user',
  id: user.id,
  role: user.role,
});

describe('enrolment', () => {
  it('gives an otpauth URI and keeps the secret only sealed, bound to its owner', async () => {
    const user = await buildUser(t.em());
    const { secret, otpauthUri } = await startTotpEnrollment(t.em(), user, SETTINGS);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/STING test:${user.email}`);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('STING test');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    const [row] = await t
      .em()
      .execute(`select * from ${t.orm.config.get('schema')}.totp_factor where user_id = ?`, [user.id]);
    expect(row.secret_ciphertext).not.toContain(secret);
    expect(row.confirmed_at).toBeNull();
    // Sealed for this person: moved onto another's row it no longer opens.
    const other = await buildUser(t.em());
    await t.em().insert(TotpFactor, {
      id: crypto.randomUUID(),
      user: other.id,
      secretCiphertext: row.secret_ciphertext,
      confirmedAt: new Date(),
      createdAt: new Date(),
      failedAttempts: 0,
    });
    await expect(
      proveSecondFactor(t.em(), other.id, await codeFor(secret), TOTP_KEY, TRAIL),
    ).rejects.toThrow();
  });

  it('counts only once confirmed with a good code, and then hands out ten recovery codes stored hashed', async () => {
    const user = await buildUser(t.em());
    const { secret } = await startTotpEnrollment(t.em(), user, SETTINGS);
    expect((await secondFactorStatus(t.em(), user.id)).totpEnrolled).toBe(false);

    const wrong = await failure(confirmTotpEnrollment(t.em(), viewerOf(user), '000000', TOTP_KEY, TRAIL));
    expect(wrong.code).toBe('BAD_USER_INPUT');
    expect((await secondFactorStatus(t.em(), user.id)).totpEnrolled).toBe(false);

    const codes = await confirmTotpEnrollment(t.em(), viewerOf(user), await codeFor(secret), TOTP_KEY, TRAIL);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const stored = await t.em().find(RecoveryCode, { user: user.id });
    expect(stored.map((r) => r.codeHash).sort()).toEqual(
      codes.map((c) => createHash('sha256').update(normalizeRecoveryCode(c)).digest('hex')).sort(),
    );
    expect(await secondFactorStatus(t.em(), user.id)).toEqual({
      totpEnrolled: true,
      recoveryCodesLeft: 10,
      passkeyCount: 0,
    });
    expect(await auditActions(t.em(), user.id)).toEqual(['auth.totp.enrolled']);
  });

  it('refuses a second authenticator while one is set up', async () => {
    const user = await buildUser(t.em());
    await enrolTotp(t.em(), user);
    expect((await failure(startTotpEnrollment(t.em(), user, SETTINGS))).code).toBe('BAD_USER_INPUT');
  });
});

describe('codes', () => {
  it('accepts a code once: the same code again within its window is refused', async () => {
    const user = await buildUser(t.em());
    const { secret } = await enrolTotp(t.em(), user);
    await letTimePass(t.em(), user.id);
    const code = await codeFor(secret);
    expect(await proveSecondFactor(t.em(), user.id, code, TOTP_KEY, TRAIL)).toBe('totp');
    expect(await proveSecondFactor(t.em(), user.id, code, TOTP_KEY, TRAIL)).toBeNull();
    // An older code of the window is refused too once a newer one was accepted.
    expect(await proveSecondFactor(t.em(), user.id, await codeFor(secret, -1), TOTP_KEY, TRAIL)).toBeNull();
    // The next period's code (clock drift) is still good.
    expect(await proveSecondFactor(t.em(), user.id, await codeFor(secret, 1), TOTP_KEY, TRAIL)).toBe('totp');
  });

  it('accepts two requests racing with the same code only once', async () => {
    const user = await buildUser(t.em());
    const { secret } = await enrolTotp(t.em(), user);
    await letTimePass(t.em(), user.id);
    const code = await codeFor(secret);
    const results = await Promise.all(
      [1, 2, 3].map(() => proveSecondFactor(t.em(), user.id, code, TOTP_KEY, TRAIL)),
    );
    expect(results.filter((r) => r === 'totp')).toHaveLength(1);
  });

  it('takes each recovery code once, typed in any case and spacing', async () => {
    const user = await buildUser(t.em());
    const { recoveryCodes } = await enrolTotp(t.em(), user);
    const typed = recoveryCodes[3].toUpperCase().replaceAll('-', ' ');
    expect(await proveSecondFactor(t.em(), user.id, typed, TOTP_KEY, TRAIL)).toBe('recovery-code');
    expect(await proveSecondFactor(t.em(), user.id, recoveryCodes[3], TOTP_KEY, TRAIL)).toBeNull();
    expect((await secondFactorStatus(t.em(), user.id)).recoveryCodesLeft).toBe(9);
    // Someone else's code is not this person's.
    const other = await buildUser(t.em());
    const theirs = await enrolTotp(t.em(), other);
    expect(await proveSecondFactor(t.em(), user.id, theirs.recoveryCodes[0], TOTP_KEY, TRAIL)).toBeNull();
    expect(await auditActions(t.em(), user.id)).toContain('auth.recovery_code.used');
  });

  it(`pauses code checks after ${MAX_FAILED_ATTEMPTS} wrong codes in a row (recovery codes still work)`, async () => {
    const user = await buildUser(t.em());
    const { secret, recoveryCodes } = await enrolTotp(t.em(), user);
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++)
      expect(await proveSecondFactor(t.em(), user.id, '000000', TOTP_KEY, TRAIL)).toBeNull();
    const locked = await failure(
      proveSecondFactor(t.em(), user.id, await codeFor(secret, 1), TOTP_KEY, TRAIL),
    );
    expect(locked.code).toBe('RATE_LIMITED');
    expect(await proveSecondFactor(t.em(), user.id, recoveryCodes[0], TOTP_KEY, TRAIL)).toBe('recovery-code');
  });
});

describe('step-up and turning off', () => {
  it('raises the session to aal2 with a good code, and records a wrong one', async () => {
    const user = await buildUser(t.em());
    const { secret } = await enrolTotp(t.em(), user);
    const { viewer, issued } = await sessionViewer(t.em(), user);
    expect(issued.session.aal).toBe('aal1');

    expect((await failure(verifySecondFactor(t.em(), viewer, '123456', TOTP_KEY, TRAIL))).code).toBe(
      'BAD_USER_INPUT',
    );
    await letTimePass(t.em(), user.id);
    expect(await verifySecondFactor(t.em(), viewer, await codeFor(secret), TOTP_KEY, TRAIL)).toBe(true);
    const session = await t.em().findOneOrFail(Session, { id: issued.session.id });
    expect(session.aal).toBe('aal2');
    expect(Date.now() - session.secondFactorAt!.getTime()).toBeLessThan(5000);
    expect(await auditActions(t.em(), user.id)).toEqual([
      'auth.totp.enrolled',
      'auth.second_factor.failed:failure',
      'auth.second_factor.verified',
    ]);
  });

  it('regenerates recovery codes only from a session confirmed just now', async () => {
    const user = await buildUser(t.em());
    const { secret, recoveryCodes } = await enrolTotp(t.em(), user);
    const { viewer } = await sessionViewer(t.em(), user);
    const settings = { requireMfaForAdmins: false };
    expect((await failure(regenerateRecoveryCodes(t.em(), viewer, settings, TRAIL))).code).toBe(
      'STEP_UP_REQUIRED',
    );

    await letTimePass(t.em(), user.id);
    await verifySecondFactor(t.em(), viewer, await codeFor(secret), TOTP_KEY, TRAIL);
    const fresh = await regenerateRecoveryCodes(t.em(), viewer, settings, TRAIL);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    expect(await proveSecondFactor(t.em(), user.id, recoveryCodes[0], TOTP_KEY, TRAIL)).toBeNull();
    expect(await proveSecondFactor(t.em(), user.id, fresh[0], TOTP_KEY, TRAIL)).toBe('recovery-code');
  });

  it('turns off only with a good code, and takes the recovery codes with it', async () => {
    const user = await buildUser(t.em());
    const { secret } = await enrolTotp(t.em(), user);
    expect((await failure(disableTotp(t.em(), viewerOf(user), '999999', TOTP_KEY, TRAIL))).code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await secondFactorStatus(t.em(), user.id)).totpEnrolled).toBe(true);
    await letTimePass(t.em(), user.id);
    expect(await disableTotp(t.em(), viewerOf(user), await codeFor(secret), TOTP_KEY, TRAIL)).toBe(true);
    expect(await secondFactorStatus(t.em(), user.id)).toEqual({
      totpEnrolled: false,
      recoveryCodesLeft: 0,
      passkeyCount: 0,
    });
    expect(await t.em().count(RecoveryCode, { user: user.id })).toBe(0);
    expect(await auditActions(t.em(), user.id)).toEqual([
      'auth.totp.enrolled',
      'auth.second_factor.failed:failure',
      'auth.totp.disabled',
    ]);
  });
});
