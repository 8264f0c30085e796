// Builds real honey-jars rows for tests. Users live in identity, so here a user is just a viewer with a fresh id.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@sting/kit';
import { HoneyJar, type HoneyJarType } from '../src/entities/honey-jar.ts';
import { HoneyJarMember } from '../src/entities/honey-jar-member.ts';

export type UserViewer = Extract<Viewer, { kind: 'user' }>;

export { buildTestViewer as buildViewer } from '@sting/kit/testing';

export const SYSTEM: Viewer = { kind: 'system' };

export function uniqueName(label = 'Jar'): string {
  return `${label} ${randomBytes(4).toString('hex')}`;
}

export async function buildHoneyJar(
  em: EntityManager,
  owner: UserViewer,
  overrides: { type?: HoneyJarType; name?: string; createdAt?: Date; tags?: string[] } = {},
): Promise<HoneyJar> {
  const jar = em.create(HoneyJar, {
    name: overrides.name ?? uniqueName(),
    description: null,
    type: overrides.type ?? 'PRIVATE',
    status: 'ACTIVE',
    tags: overrides.tags ?? [],
    ownerId: owner.id,
    ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
  });
  await em.flush();
  return jar;
}

export async function addMember(em: EntityManager, jar: HoneyJar, member: UserViewer): Promise<void> {
  em.create(HoneyJarMember, { honeyJar: jar.id, userId: member.id });
  await em.flush();
}
