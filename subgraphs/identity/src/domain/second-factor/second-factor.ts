// What a person does with their second factor: confirm the authenticator app (and receive recovery codes), prove
// it again for a sensitive operation (step-up), turn it off, get new recovery codes, and see where they stand.
// Each change and each wrong code is recorded in the audit log.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, inTransaction, UnauthenticatedError, type Viewer } from '@sting/kit';
import { Passkey } from '../../entities/passkey.ts';
import { Session } from '../../entities/session.ts';
import { requireFreshSecondFactor, type AssuranceSettings } from '../assurance.ts';
import { recordSecondFactorEvent, type AuditTrail } from './events.ts';
import {
  looksLikeRecoveryCode,
  recoveryCodesLeft,
  removeRecoveryCodes,
  replaceRecoveryCodes,
  useRecoveryCode,
} from './recovery-codes.ts';
import { checkTotpCode, confirmTotp, confirmedTotp, removeTotp } from './totp.ts';

export type SecondFactorProof = 'totp' | 'recovery-code';

const WRONG_CODE = 'That code is not valid, or it was already used';

/**
 * Checks a TOTP code or an unused recovery code of a User with a confirmed authenticator; the proof it was, or
 * null. A used recovery code is spent (in its own statement) and recorded.
 */
export async function proveSecondFactor(
  em: EntityManager,
  userId: string,
  code: string,
  key: Buffer,
  trail: AuditTrail,
): Promise<SecondFactorProof | null> {
  const factor = await confirmedTotp(em, userId);
  if (!factor) return null;
  if (looksLikeRecoveryCode(code)) {
    if (!(await useRecoveryCode(em, userId, code))) return null;
    await recordSecondFactorEvent(em, trail, {
      action: 'auth.recovery_code.used',
      userId,
      details: { left: await recoveryCodesLeft(em, userId) },
    });
    return 'recovery-code';
  }
  return (await checkTotpCode(em, factor, code, key)) === 'accepted' ? 'totp' : null;
}

/** Records a wrong second factor (on its own: the refusal that follows changes nothing else). */
export async function recordFailedSecondFactor(
  em: EntityManager,
  trail: AuditTrail,
  userId: string,
  during: string,
): Promise<void> {
  await recordSecondFactorEvent(em, trail, {
    action: 'auth.second_factor.failed',
    userId,
    outcome: 'failure',
    details: { during },
  });
}

/**
 * The proof a code gave for a User with an authenticator app; otherwise the wrong code is recorded and
 * BAD_USER_INPUT thrown. `during` names what the code was for in the audit record.
 */
async function requireCode(
  em: EntityManager,
  userId: string,
  code: string,
  key: Buffer,
  trail: AuditTrail,
  during: string,
): Promise<SecondFactorProof> {
  if (!(await confirmedTotp(em, userId))) throw new BadUserInputError('No authenticator app is set up');
  const proof = await proveSecondFactor(em, userId, code, key, trail);
  if (proof) return proof;
  await recordFailedSecondFactor(em, trail, userId, during);
  throw new BadUserInputError(WRONG_CODE, 'code');
}

function signedInUser(viewer: Viewer | null): { id: string; sessionId?: string } {
  if (viewer?.kind !== 'user') throw new UnauthenticatedError();
  return viewer;
}

/** Confirms the pending authenticator with its first code; returns the ten recovery codes, shown this once. */
export async function confirmTotpEnrollment(
  em: EntityManager,
  viewer: Viewer | null,
  code: string,
  key: Buffer,
  trail: AuditTrail,
): Promise<string[]> {
  const { id } = signedInUser(viewer);
  return inTransaction(em, async () => {
    if (!(await confirmTotp(em, id, code, key))) throw new BadUserInputError(WRONG_CODE, 'code');
    const codes = await replaceRecoveryCodes(em, id);
    await recordSecondFactorEvent(em, trail, { action: 'auth.totp.enrolled', userId: id });
    return codes;
  });
}

/** Turns the authenticator app off (and its recovery codes with it); needs a current code or a recovery code. */
export async function disableTotp(
  em: EntityManager,
  viewer: Viewer | null,
  code: string,
  key: Buffer,
  trail: AuditTrail,
): Promise<boolean> {
  const { id } = signedInUser(viewer);
  await requireCode(em, id, code, key, trail, 'disable');
  await inTransaction(em, async () => {
    await removeTotp(em, id);
    await removeRecoveryCodes(em, id);
    await recordSecondFactorEvent(em, trail, { action: 'auth.totp.disabled', userId: id });
  });
  return true;
}

/** Ten new recovery codes in place of the old ones; needs a session confirmed with a second factor just now. */
export async function regenerateRecoveryCodes(
  em: EntityManager,
  viewer: Viewer | null,
  settings: AssuranceSettings,
  trail: AuditTrail,
): Promise<string[]> {
  const { id } = signedInUser(viewer);
  if (!(await confirmedTotp(em, id))) throw new BadUserInputError('No authenticator app is set up');
  await requireFreshSecondFactor(em, viewer, settings);
  return inTransaction(em, async () => {
    const codes = await replaceRecoveryCodes(em, id);
    await recordSecondFactorEvent(em, trail, { action: 'auth.recovery_codes.regenerated', userId: id });
    return codes;
  });
}

/** Step-up: a good code raises the caller's session to aal2, fresh for the next 15 minutes. */
export async function verifySecondFactor(
  em: EntityManager,
  viewer: Viewer | null,
  code: string,
  key: Buffer,
  trail: AuditTrail,
): Promise<boolean> {
  const { id, sessionId } = signedInUser(viewer);
  if (!sessionId)
    throw new BadUserInputError('Only a signed-in session can be confirmed with a second factor');
  const proof = await requireCode(em, id, code, key, trail, 'step-up');
  await inTransaction(em, async () => {
    await em.nativeUpdate(Session, { id: sessionId, user: id }, { aal: 'aal2', secondFactorAt: new Date() });
    await recordSecondFactorEvent(em, trail, {
      action: 'auth.second_factor.verified',
      userId: id,
      details: { method: proof },
    });
  });
  return true;
}

export interface SecondFactorStatus {
  totpEnrolled: boolean;
  recoveryCodesLeft: number;
  passkeyCount: number;
}

export async function secondFactorStatus(em: EntityManager, userId: string): Promise<SecondFactorStatus> {
  const [totp, left, passkeys] = await Promise.all([
    confirmedTotp(em, userId),
    recoveryCodesLeft(em, userId),
    em.count(Passkey, { user: userId }),
  ]);
  return { totpEnrolled: totp !== null, recoveryCodesLeft: totp ? left : 0, passkeyCount: passkeys };
}
