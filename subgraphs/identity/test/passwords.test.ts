// Password hashing: self-describing scrypt hashes, constant-time verification, and rehash detection.
import { describe, it, expect } from '@jest/globals';
import { CURRENT_PARAMS, hashPassword, needsRehash, verifyPassword } from '../src/domain/passwords.ts';

describe('passwords', () => {
  it('stores the scrypt parameters and a fresh salt with every hash', async () => {
    const a = await hashPassword('a long enough secret');
    const b = await hashPassword('a long enough secret');
    expect(a).toMatch(
      new RegExp(`^scrypt\\$${CURRENT_PARAMS.N}\\$${CURRENT_PARAMS.r}\\$${CURRENT_PARAMS.p}\\$`),
    );
    expect(a).not.toBe(b);
    expect(a).not.toContain('a long enough secret');
  });

  it('verifies the right password and refuses a wrong or malformed one', async () => {
    const stored = await hashPassword('a long enough secret');
    expect(await verifyPassword('a long enough secret', stored)).toBe(true);
    expect(await verifyPassword('a long enough secreT', stored)).toBe(false);
    expect(await verifyPassword('a long enough secret', 'plaintext')).toBe(false);
  });

  it('still verifies hashes made with older, weaker parameters and flags them for rehash', async () => {
    const stored = await hashPassword('a long enough secret');
    expect(needsRehash(stored)).toBe(false);
    // The same format with N = 2^14, as an older release might have written it.
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('a long enough secret', salt, 64, { N: 2 ** 14, r: 8, p: 1 });
    const weak = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    expect(await verifyPassword('a long enough secret', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
  });
});
