// Test helpers for second factors: codes from an authenticator app, a person enrolled in TOTP, audit lookups.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generate } from 'otplib';
import type { Viewer } from '@sting/kit';
import { TotpFactor } from '../../src/entities/totp-factor.ts';
import type { User } from '../../src/entities/user.ts';
import { auditTables } from '../../src/domain/audit/tables.ts';
import { confirmTotpEnrollment } from '../../src/domain/second-factor/second-factor.ts';
import { startTotpEnrollment } from '../../src/domain/second-factor/totp.ts';
import { issueSession } from '../../src/domain/sessions.ts';

export const TOTP_KEY = randomBytes(32);
export const SETTINGS = { key: TOTP_KEY, issuer: 'STING test' };
export const TRAIL = { requestId: 'req-second-factor', clientAddress: '203.0.113.9' };

/** The code an authenticator app shows `offsetSteps` periods from now. */
export function codeFor(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

/**
 * As if the last accepted code was used a minute ago, so the current code is new again: stands in for waiting
 * two periods between sign-ins in one test.
 */
export async function letTimePass(em: EntityManager, userId: string): Promise<void> {
  const step = Math.floor(Date.now() / 30_000) - 2;
  await em.nativeUpdate(TotpFactor, { user: userId }, { lastUsedStep: step });
}

export async function sessionViewer(em: EntityManager, user: User, aal: 'aal1' | 'aal2' = 'aal1') {
  const issued = await issueSession(em, user, { aal });
  const viewer: Viewer = { kind: 'user', id: user.id, role: user.role, sessionId: issued.session.id };
  return { viewer, issued };
}

/** Enrols the User in TOTP (start + confirm); returns the secret and recovery codes. */
export async function enrolTotp(em: EntityManager, user: User) {
  const { secret } = await startTotpEnrollment(em, user, SETTINGS);
  const viewer: Viewer = { kind: 'user', id: user.id, role: user.role };
  const recoveryCodes = await confirmTotpEnrollment(em, viewer, await codeFor(secret), TOTP_KEY, TRAIL);
  return { secret, recoveryCodes };
}

export async function auditActions(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em.execute<{ action: string; outcome: string }[]>(
    `select action, outcome from ${auditTables(em).events} where actor_id = ? order by seq`,
    [userId],
  );
  return rows.map((r) => (r.outcome === 'success' ? r.action : `${r.action}:${r.outcome}`));
}

export async function failure(run: Promise<unknown>) {
  try {
    await run;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a failure');
}
