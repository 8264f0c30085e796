// Makes sure a fresh installation can be administered: when no ADMIN exists, one is created from the configured
// credentials, or with a generated password that is printed exactly once.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '@sting/kit';
import { adminExists, createUser } from './users.ts';
import type { IdentitySettings } from './settings.ts';

export const DEFAULT_ADMIN_EMAIL = 'admin@sting.local';

export interface FirstAdmin {
  email: string;
  /** Set only when the password was generated and must be shown to the operator. */
  generatedPassword?: string;
}

export async function ensureFirstAdmin(
  em: EntityManager,
  settings: IdentitySettings,
): Promise<FirstAdmin | null> {
  if (await adminExists(em)) return null;
  const email = settings.admin.email ?? DEFAULT_ADMIN_EMAIL;
  const generated = settings.admin.password ? undefined : randomBytes(18).toString('base64url');
  await createUser(em, {
    email,
    displayName: 'Administrator',
    password: settings.admin.password ?? (generated as string),
    role: 'ADMIN',
  }).catch((err: unknown) => {
    // A configured email or password the rules refuse: say which setting, so the operator can change it.
    const field = err instanceof BadUserInputError ? err.details?.field : undefined;
    if (field === 'email' || field === 'password') {
      const setting = field === 'email' ? 'STING_ADMIN_EMAIL' : 'STING_ADMIN_PASSWORD';
      throw new Error(`identity.admin.${field} (${setting}): ${(err as Error).message}`);
    }
    throw err;
  });
  return { email, generatedPassword: generated };
}

/**
 * Straight to stdout, not through the logger: the Pollen Filter would rightly redact a password, and this one
 * line is the only time the operator can learn it.
 */
export function announceGeneratedPassword(
  admin: FirstAdmin,
  write: (s: string) => unknown = (s) => process.stdout.write(s),
): void {
  if (!admin.generatedPassword) return;
  write(
    `\n  STING created the first administrator.\n` +
      `    email:    ${admin.email}\n` +
      `    password: ${admin.generatedPassword}\n` +
      `  This password is shown once and cannot be recovered: keep it somewhere safe.\n\n`,
  );
}
