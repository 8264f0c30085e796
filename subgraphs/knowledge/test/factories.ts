// Builds real knowledge rows for tests: chunks of made-up documents, and honey jars in knowledge's read model of
// jar access, with a viewer for each relation a person can have to a jar.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Viewer } from '@sting/kit';
import { buildTestViewer } from '@sting/kit/testing';
import { Chunk } from '../src/entities/chunk.ts';
import type { JarType } from '../src/entities/jar-access.ts';
import { applyJarState, applyMembership } from '../src/domain/jar-access/read-model.ts';

export { buildTestViewer as buildViewer } from '@sting/kit/testing';

/**
 * The configuration slice of a test runtime that stores documents (blobs under `dir`, a fresh key) and searches
 * through the test Chroma, with the `knowledge` settings the test is about.
 */
export function knowledgeTestConfig(dir: string, knowledge: Record<string, unknown>) {
  return {
    root: dir,
    database: { url: process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_test' },
    chroma: { url: process.env.CHROMA_URL },
    knowledge: { storage: { dir: join(dir, 'blobs'), key: randomBytes(32).toString('hex') }, ...knowledge },
  };
}

/** Stores keyword rows of one document of `count` chunks in the jar (no vectors) and returns its id. */
export async function buildChunks(em: EntityManager, honeyJarId: string, count: number): Promise<string> {
  const documentId = randomUUID();
  await em.insertMany(
    Chunk,
    Array.from({ length: count }, (_, ordinal) => ({
      id: randomUUID(),
      honeyJarId,
      documentId,
      ordinal,
      text: `Passage ${ordinal + 1} about bees.`,
      createdAt: new Date(),
    })),
  );
  return documentId;
}

export interface BuiltJar {
  honeyJarId: string;
  ownerId: string;
  memberIds: string[];
}

/** A jar as honey-jars would have announced it, with its members. */
export async function buildJar(
  em: EntityManager,
  { type, ownerId = randomUUID(), memberIds = [] }: { type: JarType; ownerId?: string; memberIds?: string[] },
): Promise<BuiltJar> {
  const honeyJarId = randomUUID();
  const at = new Date().toISOString();
  await applyJarState(em, {
    honeyJarId,
    ownerId,
    type,
    status: 'ACTIVE',
    name: `${type} jar`,
    updatedAt: at,
  });
  for (const userId of memberIds) await applyMembership(em, honeyJarId, userId, true, at);
  return { honeyJarId, ownerId, memberIds };
}

/** Every relation a caller can have to a jar: the permission matrix's rows. */
export const RELATIONS = [
  'owner',
  'member',
  'other member user',
  'viewer-role user',
  'admin',
  'anonymous',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** A viewer with that relation to the jar; a 'member' is made a member here (MEMBER role). */
export async function viewerFor(
  em: EntityManager,
  jar: BuiltJar,
  relation: Relation,
): Promise<Viewer | null> {
  switch (relation) {
    case 'owner':
      return { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    case 'member': {
      const member = buildTestViewer('MEMBER');
      await applyMembership(em, jar.honeyJarId, member.id, true, new Date().toISOString());
      return member;
    }
    case 'other member user':
      return buildTestViewer('MEMBER');
    case 'viewer-role user':
      return buildTestViewer('VIEWER');
    case 'admin':
      return buildTestViewer('ADMIN');
    case 'anonymous':
      return null;
  }
}
