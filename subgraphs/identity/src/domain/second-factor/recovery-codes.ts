// Ten single-use recovery codes per person, shown once and kept only as SHA-256 hashes. Each carries 80 random
// bits (16 base32 characters, grouped by four for reading), so guessing one is out of reach and a fast hash does.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RecoveryCode } from '../../entities/recovery-code.ts';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function newCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z2-7]{16}$/.test(normalizeRecoveryCode(code));
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code), 'utf8').digest('hex');
}

/** Replaces the User's recovery codes with ten new ones, returned in the clear this once. */
export async function replaceRecoveryCodes(em: EntityManager, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await em.nativeDelete(RecoveryCode, { user: userId });
  for (const code of codes) em.create(RecoveryCode, { user: userId, codeHash: hashCode(code) });
  await em.flush();
  return codes;
}

/** Marks the code used when it is one of the User's unused ones; one statement, so it is used once only. */
export async function useRecoveryCode(em: EntityManager, userId: string, code: string): Promise<boolean> {
  if (!looksLikeRecoveryCode(code)) return false;
  const used = await em.nativeUpdate(
    RecoveryCode,
    { user: userId, codeHash: hashCode(code), usedAt: null },
    { usedAt: new Date() },
  );
  return used === 1;
}

export async function recoveryCodesLeft(em: EntityManager, userId: string): Promise<number> {
  return em.count(RecoveryCode, { user: userId, usedAt: null });
}

export async function removeRecoveryCodes(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(RecoveryCode, { user: userId });
}
