// Signing in with a passkey, no password: options for navigator.credentials.get (any discoverable credential, or
// just one person's when an email is given), then the browser's assertion verified against the single-use
// challenge, the origin, the relying party, the stored public key and the signature counter. User verification
// is required, so a passkey sign-in is aal2.
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { inTransaction, isId, UnauthenticatedError } from '@sting/kit';
import { Passkey } from '../../entities/passkey.ts';
import { User } from '../../entities/user.ts';
import { recordSecondFactorEvent, type AuditTrail } from '../second-factor/events.ts';
import type { WebauthnSettings } from '../second-factor/settings.ts';
import { recordSignIn } from '../second-factor/sign-in.ts';
import { issueSession, type IssuedSession, type SessionOptions } from '../sessions.ts';
import { normalizeEmail } from '../users.ts';
import { storeChallenge, takeChallenge } from './challenges.ts';
import { authenticationResponse } from './responses.ts';

const FAILED = 'Passkey sign-in failed';

export interface PasskeyChallenge {
  challengeId: string;
  optionsJson: string;
}

/**
 * A sign-in challenge. The options never list credentials: every passkey is made discoverable (registration asks
 * for a resident key), so the authenticator offers its own, and listing a person's passkeys for an email told
 * anyone which addresses have an account with passkeys. An email still ties the challenge to that person: only
 * their passkey can answer it.
 */
export async function startPasskeySignIn(
  em: EntityManager,
  email: string | null | undefined,
  settings: WebauthnSettings,
): Promise<PasskeyChallenge> {
  const user = email ? await em.findOne(User, { email: normalizeEmail(email) }) : null;
  const options = await generateAuthenticationOptions({
    rpID: settings.rpId,
    userVerification: 'required',
    allowCredentials: [],
  });
  const row = await storeChallenge(em, options.challenge, 'sign-in', user?.id ?? null);
  return { challengeId: row.id, optionsJson: JSON.stringify(options) };
}

async function refuse(
  em: EntityManager,
  trail: AuditTrail,
  userId: string | null,
  reason: string,
): Promise<never> {
  await recordSignIn(em, trail, 'failure', userId, { method: 'passkey', reason });
  throw new UnauthenticatedError(FAILED);
}

export async function finishPasskeySignIn(
  em: EntityManager,
  challengeId: string,
  responseJson: string,
  settings: WebauthnSettings,
  options: Omit<SessionOptions, 'aal' | 'method'> & { trail: AuditTrail },
): Promise<IssuedSession> {
  const { trail, ...sessionOptions } = options;
  const response = authenticationResponse(responseJson);
  if (!isId(challengeId)) throw new UnauthenticatedError(FAILED);
  const challenge = await takeChallenge(em, { id: challengeId, purpose: 'sign-in' });
  const passkey = await em.findOne(Passkey, { credentialId: response.id }, { populate: ['user'] });
  if (!passkey) return refuse(em, trail, null, 'unknown passkey');
  const user = passkey.user;
  if (challenge.user && challenge.user.id !== user.id)
    return refuse(em, trail, null, 'passkey of another person');
  if (user.disabledAt) return refuse(em, trail, null, 'disabled');

  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: settings.origins,
    expectedRPID: settings.rpId,
    credential: {
      id: passkey.credentialId,
      publicKey: Buffer.from(passkey.publicKey, 'base64url'),
      counter: passkey.counter,
      transports: passkey.transports ?? undefined,
    },
    requireUserVerification: true,
  }).catch((err: unknown) => ({ verified: false as const, reason: (err as Error).message }));
  if (!verification.verified || !('authenticationInfo' in verification))
    return refuse(em, trail, user.id, 'reason' in verification ? verification.reason : 'not verified');
  const { newCounter, userVerified, credentialBackedUp } = verification.authenticationInfo;

  return inTransaction(em, async () => {
    // The counter moves forward in one conditional update: a cloned authenticator racing this one loses.
    const moved = await em.nativeUpdate(
      Passkey,
      { id: passkey.id, counter: passkey.counter },
      { counter: newCounter, lastUsedAt: new Date(), backedUp: credentialBackedUp },
    );
    if (moved !== 1) throw new UnauthenticatedError(FAILED);
    const aal = userVerified ? 'aal2' : 'aal1';
    const issued = await issueSession(em, user, { ...sessionOptions, aal, method: 'passkey' });
    await recordSecondFactorEvent(em, trail, {
      action: 'auth.passkey.sign_in',
      userId: user.id,
      targetType: 'passkey',
      targetId: passkey.id,
    });
    await recordSignIn(em, trail, 'success', user.id, { method: 'passkey', aal });
    return issued;
  });
}
