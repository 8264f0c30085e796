// Storing a document's chunks and counting them per honey jar.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError } from '@sting/kit';
import { Chunk } from '../entities/chunk.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DocumentText {
  honeyJarId: string;
  documentId: string;
  /** The document's passages in reading order. */
  passages: readonly string[];
}

/** Replaces a document's chunks with new ones, in one transaction so readers never see half a document. */
export async function replaceDocumentChunks(em: EntityManager, input: DocumentText): Promise<Chunk[]> {
  for (const field of ['honeyJarId', 'documentId'] as const) {
    if (!UUID.test(input[field])) throw new BadUserInputError(`${field} is not a valid id`, field);
  }
  return em.transactional(async (tx) => {
    await tx.nativeDelete(Chunk, { documentId: input.documentId });
    const chunks = input.passages.map((text, ordinal) =>
      tx.create(Chunk, { honeyJarId: input.honeyJarId, documentId: input.documentId, ordinal, text }),
    );
    await tx.flush();
    return chunks;
  });
}

/** How many chunks each honey jar holds, in the order asked (0 for none): one grouped COUNT query. */
export async function countChunksByJar(em: EntityManager, jarIds: readonly string[]): Promise<number[]> {
  const wanted = [...new Set(jarIds.filter((id) => UUID.test(id)))];
  if (wanted.length === 0) return jarIds.map(() => 0);
  const rows = await em
    .createQueryBuilder(Chunk)
    .select(['honeyJarId', raw('count(*)::int as count')])
    .where({ honeyJarId: { $in: wanted } })
    .groupBy('honeyJarId')
    .execute<{ honeyJarId: string; count: number }[]>('all', true);
  const counts = new Map(rows.map((r) => [r.honeyJarId, Number(r.count)]));
  return jarIds.map((id) => counts.get(id) ?? 0);
}
