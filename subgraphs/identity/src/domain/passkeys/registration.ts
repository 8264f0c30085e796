// Registering a passkey: options for navigator.credentials.create (a discoverable credential with user
// verification required, no attestation asked), then the browser's answer verified against the stored
// challenge, the relying party id and the allowed origins before anything is stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import {
  lockUntilCommit,
  BadUserInputError,
  inTransaction,
  refuseDeceptiveCharacters,
  UnauthenticatedError,
} from '@sting/kit';
import { Passkey } from '../../entities/passkey.ts';
import type { User } from '../../entities/user.ts';
import { recordSecondFactorEvent, type AuditTrail } from '../second-factor/events.ts';
import type { WebauthnSettings } from '../second-factor/settings.ts';
import { challengeOf, storeChallenge, takeChallenge } from './challenges.ts';
import { registrationResponse } from './responses.ts';

/** ES256, EdDSA, RS256: what platform authenticators and security keys offer. */
export const SUPPORTED_ALGORITHMS = [-7, -8, -257];
export const MAX_PASSKEYS = 20;

export function validPasskeyName(name: string): string {
  const trimmed = name.trim();
  refuseDeceptiveCharacters(trimmed, 'name', 'Passkey name');
  if (trimmed.length < 1 || trimmed.length > 64)
    throw new BadUserInputError('Passkey name must be 1 to 64 characters', 'name');
  return trimmed;
}

/** PublicKeyCredentialCreationOptionsJSON for this User, as JSON text. */
export async function startPasskeyRegistration(
  em: EntityManager,
  user: User,
  settings: WebauthnSettings,
): Promise<string> {
  const existing = await em.find(Passkey, { user: user.id });
  if (existing.length >= MAX_PASSKEYS)
    throw new BadUserInputError(`At most ${MAX_PASSKEYS} passkeys; remove one first`);
  const options = await generateRegistrationOptions({
    rpName: settings.rpName,
    rpID: settings.rpId,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports ?? undefined })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  await storeChallenge(em, options.challenge, 'registration', user.id);
  return JSON.stringify(options);
}

/** Verifies the browser's answer to this User's registration challenge and stores the passkey. */
export async function finishPasskeyRegistration(
  em: EntityManager,
  user: User,
  name: string,
  responseJson: string,
  settings: WebauthnSettings,
  trail: AuditTrail,
): Promise<Passkey> {
  const passkeyName = validPasskeyName(name);
  const response = registrationResponse(responseJson);
  const challenge = await takeChallenge(em, {
    challenge: challengeOf(response),
    purpose: 'registration',
    user: user.id,
  });
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: settings.origins,
    expectedRPID: settings.rpId,
    requireUserPresence: true,
    requireUserVerification: true,
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  }).catch(() => ({ verified: false as const }));
  if (!verification.verified) throw new UnauthenticatedError('The passkey could not be verified');
  const { credential, credentialBackedUp } = verification.registrationInfo;
  if ((await em.count(Passkey, { credentialId: credential.id })) > 0)
    throw new BadUserInputError('This passkey is already registered');
  return inTransaction(em, async () => {
    // Checked again here, under the person's lock: several registrations started at once each passed the check
    // at their start.
    await lockUntilCommit(em, 'sting.identity.passkeys', user.id);
    if ((await em.count(Passkey, { user: user.id })) >= MAX_PASSKEYS)
      throw new BadUserInputError(`At most ${MAX_PASSKEYS} passkeys; remove one first`);
    const passkey = em.create(Passkey, {
      user: user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: response.response.transports ?? null,
      name: passkeyName,
      backedUp: credentialBackedUp,
    });
    await em.flush();
    await recordSecondFactorEvent(em, trail, {
      action: 'auth.passkey.added',
      userId: user.id,
      targetType: 'passkey',
      targetId: passkey.id,
      details: { name: passkeyName },
    });
    return passkey;
  });
}
