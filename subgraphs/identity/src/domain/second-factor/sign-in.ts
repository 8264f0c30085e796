// Signing in with a password, and the second factor when the person has an authenticator app: without a valid
// code (TOTP or recovery) no session is made and the answer is SECOND_FACTOR_REQUIRED; with one, the session
// starts at aal2. Every sign-in, and every failed one, is in the audit log.
import type { EntityManager } from '@mikro-orm/postgresql';
import { inTransaction, SecondFactorRequiredError, StingError } from '@sting/kit';
import { recordAuditEvent } from '../audit/record.ts';
import { checkPassword, issueSession, type IssuedSession, type SessionOptions } from '../sessions.ts';
import type { AuditTrail } from './events.ts';
import { proveSecondFactor, recordFailedSecondFactor } from './second-factor.ts';
import { confirmedTotp } from './totp.ts';

export interface PasswordSignIn {
  email: string;
  password: string;
  secondFactor?: string | null;
}

export interface SignInContext extends Omit<SessionOptions, 'aal' | 'method'> {
  /** The key sealing TOTP secrets, fetched only for people who have an authenticator app. */
  key: () => Promise<Buffer>;
  trail: AuditTrail;
}

/** Records a sign-in (or a refused one) in the audit log. */
export async function recordSignIn(
  em: EntityManager,
  trail: AuditTrail,
  outcome: 'success' | 'failure',
  userId: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(em, {
    actor: userId ? { userId } : { anonymous: true },
    action: 'auth.sign_in',
    targetType: userId ? 'user' : null,
    targetId: userId,
    outcome,
    requestId: trail.requestId,
    clientAddress: trail.clientAddress ?? null,
    details,
  });
}

export async function signInWithPassword(
  em: EntityManager,
  input: PasswordSignIn,
  context: SignInContext,
): Promise<IssuedSession> {
  const { key, trail, ...options } = context;
  const user = await checkPassword(em, input.email, input.password).catch(async (err: unknown) => {
    if (err instanceof StingError)
      await recordSignIn(em, trail, 'failure', null, { method: 'password', reason: err.code });
    throw err;
  });
  const totp = await confirmedTotp(em, user.id);
  let aal: 'aal1' | 'aal2' = 'aal1';
  if (totp) {
    const code = input.secondFactor?.trim();
    if (!code) throw new SecondFactorRequiredError();
    const proof = await proveSecondFactor(em, user.id, code, await key(), trail);
    if (!proof) {
      await recordFailedSecondFactor(em, trail, user.id, 'sign-in');
      throw new SecondFactorRequiredError(
        'That code is not valid, or it was already used; enter the current code from your authenticator app, or a recovery code',
      );
    }
    aal = 'aal2';
  }
  return inTransaction(em, async () => {
    const issued = await issueSession(em, user, { ...options, aal, method: 'password' });
    await recordSignIn(em, trail, 'success', user.id, { method: 'password', aal });
    return issued;
  });
}
