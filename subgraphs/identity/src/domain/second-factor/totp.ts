// TOTP (RFC 6238, the authenticator-app codes) with otplib: enrolment, confirmation with a first code, checking
// codes with replay protection, and turning it off. SHA-1, 6 digits, 30 s: what every authenticator app reads.
// A code is accepted one step either side of now (clock drift) and never twice: the step of the last accepted
// code is stored and only a later one passes. Five wrong codes in a row pause code checks for five minutes.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateSecret, generateURI, verify } from 'otplib';
import { BadUserInputError, RateLimitedError } from '@sting/kit';
import { TotpFactor } from '../../entities/totp-factor.ts';
import type { User } from '../../entities/user.ts';
import { open, seal } from './secret-box.ts';

export const TOTP_PERIOD_SECONDS = 30;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCK_MS = 5 * 60_000;

export interface TotpSettings {
  /** AES-256 key sealing secrets at rest. */
  key: Buffer;
  /** Shown in the authenticator app beside the account. */
  issuer: string;
}

export interface TotpEnrollment {
  secret: string;
  otpauthUri: string;
}

export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

export async function confirmedTotp(em: EntityManager, userId: string): Promise<TotpFactor | null> {
  return em.findOne(
    TotpFactor,
    { user: userId, confirmedAt: { $ne: null } },
    { populate: ['secretCiphertext'] },
  );
}

/** A new secret for the User's authenticator; replaces an unconfirmed one, refused while one is confirmed. */
export async function startTotpEnrollment(
  em: EntityManager,
  user: User,
  settings: TotpSettings,
): Promise<TotpEnrollment> {
  const existing = await em.findOne(TotpFactor, { user: user.id });
  if (existing?.confirmedAt)
    throw new BadUserInputError('An authenticator app is already set up; turn it off before adding another');
  const secret = generateSecret({ length: 20 });
  const secretCiphertext = seal(settings.key, secret, user.id);
  if (existing) {
    existing.secretCiphertext = secretCiphertext;
    existing.failedAttempts = 0;
    existing.lockedUntil = null;
    existing.lastUsedStep = null;
  } else em.create(TotpFactor, { user: user.id, secretCiphertext });
  await em.flush();
  const otpauthUri = generateURI({ issuer: settings.issuer, label: user.email, secret });
  return { secret, otpauthUri };
}

export type TotpCheck = 'accepted' | 'rejected';

/**
 * Checks a code against the factor. An accepted code moves the stored step forward in one conditional update,
 * so two requests racing with the same code cannot both pass. A wrong code is counted at once (not in the
 * caller's transaction), and while locked no code is checked at all.
 */
export async function checkTotpCode(
  em: EntityManager,
  factor: TotpFactor,
  code: string,
  key: Buffer,
  now = new Date(),
): Promise<TotpCheck> {
  if (factor.lockedUntil && factor.lockedUntil > now) {
    throw new RateLimitedError(Math.ceil((factor.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  const token = code.replace(/\s/g, '');
  const secret = open(key, factor.secretCiphertext, factor.user.id);
  const result = isTotpCode(token)
    ? await verify({
        secret,
        token,
        epoch: Math.floor(now.getTime() / 1000),
        epochTolerance: TOTP_PERIOD_SECONDS,
        afterTimeStep: factor.lastUsedStep ?? undefined,
      })
    : { valid: false as const };
  if (result.valid && 'timeStep' in result) {
    const moved = await em.nativeUpdate(
      TotpFactor,
      {
        id: factor.id,
        $or: [{ lastUsedStep: null }, { lastUsedStep: { $lt: result.timeStep } }],
      },
      { lastUsedStep: result.timeStep, failedAttempts: 0, lockedUntil: null },
    );
    if (moved === 1) {
      factor.lastUsedStep = result.timeStep;
      factor.failedAttempts = 0;
      factor.lockedUntil = null;
      return 'accepted';
    }
  }
  await countFailure(em, factor, now);
  return 'rejected';
}

async function countFailure(em: EntityManager, factor: TotpFactor, now: Date): Promise<void> {
  // Counted in the database, so wrong codes sent at once by parallel requests all count.
  await em.nativeUpdate(TotpFactor, { id: factor.id }, { failedAttempts: raw('failed_attempts + 1') });
  const [row] = await em
    .createQueryBuilder(TotpFactor)
    .select('failedAttempts')
    .where({ id: factor.id })
    .execute<{ failedAttempts: number }[]>('all', true);
  if ((row?.failedAttempts ?? 0) < MAX_FAILED_ATTEMPTS) return;
  factor.lockedUntil = new Date(now.getTime() + LOCK_MS);
  await em.nativeUpdate(
    TotpFactor,
    { id: factor.id },
    { lockedUntil: factor.lockedUntil, failedAttempts: 0 },
  );
}

/** Marks the User's pending authenticator confirmed by a first good code; false for a wrong code. */
export async function confirmTotp(
  em: EntityManager,
  userId: string,
  code: string,
  key: Buffer,
): Promise<boolean> {
  const factor = await em.findOne(TotpFactor, { user: userId }, { populate: ['secretCiphertext'] });
  if (!factor) throw new BadUserInputError('Start setting up the authenticator app first');
  if (factor.confirmedAt) throw new BadUserInputError('The authenticator app is already set up');
  if ((await checkTotpCode(em, factor, code, key)) !== 'accepted') return false;
  factor.confirmedAt = new Date();
  await em.flush();
  return true;
}

export async function removeTotp(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(TotpFactor, { user: userId });
}
