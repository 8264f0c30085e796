// WebAuthn challenges kept server-side: each is random, lives five minutes and is taken exactly once (deleted
// as it is used), so a captured browser response cannot be replayed and two requests cannot both use one.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError } from '@sting/kit';
import { WebauthnChallenge, type ChallengePurpose } from '../../entities/webauthn-challenge.ts';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export async function storeChallenge(
  em: EntityManager,
  challenge: string,
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<WebauthnChallenge> {
  // Expired ones are swept as new ones are made: the table stays small without a job of its own.
  await em.nativeDelete(WebauthnChallenge, { expiresAt: { $lte: new Date() } });
  const row = em.create(WebauthnChallenge, {
    challenge,
    purpose,
    user: userId,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  await em.flush();
  return row;
}

/**
 * Takes the live challenge matching `where` (deleting it) or throws UNAUTHENTICATED. The delete decides: of two
 * requests answering one challenge, only one gets it.
 */
export async function takeChallenge(
  em: EntityManager,
  where: { id?: string; challenge?: string; purpose: ChallengePurpose; user?: string },
): Promise<WebauthnChallenge> {
  const row = await em.findOne(WebauthnChallenge, where);
  const taken = row ? await em.nativeDelete(WebauthnChallenge, { id: row.id }) : 0;
  if (!row || taken !== 1 || row.expiresAt <= new Date())
    throw new UnauthenticatedError('This passkey request has expired or was already used; start again');
  return row;
}

/** The challenge a browser response answers (from its clientDataJSON), or '' when it cannot be read. */
export function challengeOf(response: { response?: { clientDataJSON?: unknown } }): string {
  try {
    const text = Buffer.from(String(response.response?.clientDataJSON), 'base64url').toString('utf8');
    const challenge = (JSON.parse(text) as { challenge?: unknown }).challenge;
    return typeof challenge === 'string' && challenge.length <= 128 ? challenge : '';
  } catch {
    return '';
  }
}
