// Builds real identity rows for tests, with unique emails so runs never collide.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role, Viewer } from '@sting/kit';
import type { User } from '../src/entities/user.ts';
import { createUser } from '../src/domain/users.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export function uniqueEmail(label = 'user'): string {
  return `${label}.${randomBytes(5).toString('hex')}@example.test`;
}

export async function buildUser(
  em: EntityManager,
  overrides: { role?: Role; email?: string; password?: string } = {},
) {
  return createUser(em, {
    email: overrides.email ?? uniqueEmail(overrides.role?.toLowerCase()),
    displayName: 'Test Bee',
    password: overrides.password ?? TEST_PASSWORD,
    role: overrides.role ?? 'MEMBER',
  });
}

export function viewerOf(user: User): Viewer {
  return { kind: 'user', id: user.id, role: user.role, email: user.email, displayName: user.displayName };
}

export const SYSTEM: Viewer = { kind: 'system' };
