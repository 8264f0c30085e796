// Builds real knowledge rows for tests: chunks of made-up documents in made-up honey jars.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { replaceDocumentChunks } from '../src/domain/chunks.ts';

export { buildTestViewer as buildViewer } from '@sting/kit';

/** Stores one document of `count` chunks in the jar and returns the document's id. */
export async function buildChunks(em: EntityManager, honeyJarId: string, count: number): Promise<string> {
  const documentId = randomUUID();
  const passages = Array.from({ length: count }, (_, i) => `Passage ${i + 1} about bees.`);
  await replaceDocumentChunks(em, { honeyJarId, documentId, passages });
  return documentId;
}
