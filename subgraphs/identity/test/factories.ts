// Builds real identity rows for tests, with unique emails so runs never collide.
import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role, Viewer } from '@sting/kit';
import type { TestRuntime } from '@sting/kit/testing';
import type { User } from '../src/entities/user.ts';
import { auditTables } from '../src/domain/audit/tables.ts';
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

/**
 * API keys as the person's own scripts hold them: made through the API by `viewer` (a person with a live session),
 * and whether the gateway's lookup (`apiKeyViewer`) still finds a live key behind one.
 */
export function apiKeysOf(t: TestRuntime) {
  return {
    async create(viewer: Viewer, name = 'script'): Promise<{ key: string; id: string }> {
      const created = await t.run<any>(
        viewer,
        `mutation($name: String!) { createApiKey(input: { name: $name, scopes: ["honey-jars:read"] }) { key apiKey { id } } }`,
        { name },
      );
      expect(created.errors).toBeUndefined();
      return { key: created.data.createApiKey.key, id: created.data.createApiKey.apiKey.id };
    },
    async works(key: string): Promise<boolean> {
      const found = await t.run<any>(SYSTEM, `query($key: String!) { apiKeyViewer(key: $key) { id } }`, {
        key,
      });
      expect(found.errors).toBeUndefined();
      return found.data.apiKeyViewer !== null;
    },
  };
}

/** The audit records about one target, oldest first, read straight from the chain's table. */
export function auditRecordsOf(em: EntityManager, targetId: string) {
  return em.execute<
    {
      action: string;
      actor_id: string | null;
      api_key_id: string | null;
      outcome: string;
      details: Record<string, unknown> | null;
    }[]
  >(
    `select action, actor_id, api_key_id, outcome, details from ${auditTables(em).events} where target_id = ? order by seq`,
    [targetId],
  );
}
