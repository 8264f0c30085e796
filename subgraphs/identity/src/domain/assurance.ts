// Step-up for sensitive operations (changing roles, deleting people, admin-scoped API keys): the caller's session
// must have proven a second factor (TOTP or passkey) within the last 15 minutes. Required from anyone enrolled in
// one, and from every admin when `identity.requireMfaForAdmins` is on. The assertion does not carry assurance:
// the session row, which this subgraph owns, is the one place it is recorded.
import type { EntityManager } from '@mikro-orm/postgresql';
import { StepUpRequiredError, UnauthenticatedError, type Viewer } from '@sting/kit';
import { Passkey } from '../entities/passkey.ts';
import { Session } from '../entities/session.ts';
import { TotpFactor } from '../entities/totp-factor.ts';

export const STEP_UP_WINDOW_MS = 15 * 60_000;

export interface AssuranceSettings {
  requireMfaForAdmins: boolean;
  /**
   * With Kratos, second factors live there and Kratos's own assurance policy (its `required_aal` settings) decides
   * what a session needs; there is nothing here to check, so only the session requirement applies.
   */
  provider?: 'builtin' | 'kratos';
}

/** True when the User has a confirmed TOTP authenticator or at least one passkey. */
export async function hasSecondFactor(em: EntityManager, userId: string): Promise<boolean> {
  const [totp, passkeys] = await Promise.all([
    em.count(TotpFactor, { user: userId, confirmedAt: { $ne: null } }),
    em.count(Passkey, { user: userId }),
  ]);
  return totp + passkeys > 0;
}

/** True when the session proved a second factor within the step-up window. */
export function isFresh(session: { aal: string; secondFactorAt?: Date | null }, now = Date.now()): boolean {
  const at = session.secondFactorAt?.getTime();
  return session.aal === 'aal2' && at !== undefined && now - at <= STEP_UP_WINDOW_MS;
}

/**
 * Throws STEP_UP_REQUIRED unless the viewer's session proved a second factor within 15 minutes, where one is
 * required. API-key and system viewers have no session and are always refused.
 */
export async function requireFreshSecondFactor(
  em: EntityManager,
  viewer: Viewer | null,
  settings: AssuranceSettings,
): Promise<void> {
  if (viewer === null) throw new UnauthenticatedError();
  if (viewer.kind !== 'user' || viewer.apiKey || !viewer.sessionId)
    throw new StepUpRequiredError('This needs a signed-in session confirmed with a second factor');
  if (settings.provider === 'kratos') return;
  const enrolled = await hasSecondFactor(em, viewer.id);
  if (!enrolled) {
    if (viewer.role === 'ADMIN' && settings.requireMfaForAdmins)
      throw new StepUpRequiredError(
        'Administrators must enrol a second factor (an authenticator app or a passkey) before doing this',
      );
    return;
  }
  const session = await em.findOne(Session, { id: viewer.sessionId, user: viewer.id });
  if (!session || !isFresh(session))
    throw new StepUpRequiredError(
      'Confirm with your second factor (verifySecondFactor or a passkey sign-in), then try again',
    );
}

/**
 * For adding or removing a second factor: someone who already has one must have proven it just now (else a
 * stolen aal1 session could add its own passkey and sign in at aal2); someone without any may enrol freely, so
 * `requireMfaForAdmins` never stops an admin from enrolling.
 */
export async function requireFreshIfEnrolled(em: EntityManager, viewer: Viewer | null): Promise<void> {
  await requireFreshSecondFactor(em, viewer, { requireMfaForAdmins: false });
}
