// Documents of honey jars, looked up in batches so listing many jars' documents costs one query.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document } from '../entities/document.ts';
import { isId } from './validation.ts';

/** Each jar's documents, oldest first, in the order the jar ids were given. One query. */
export async function documentsOfJars(em: EntityManager, jarIds: readonly string[]): Promise<Document[][]> {
  if (jarIds.length === 0) return [];
  const docs = await em.find(
    Document,
    { honeyJar: { $in: [...new Set(jarIds)] } },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  );
  const byJar = new Map<string, Document[]>();
  for (const doc of docs) {
    const list = byJar.get(doc.honeyJar.id) ?? [];
    list.push(doc);
    byJar.set(doc.honeyJar.id, list);
  }
  return jarIds.map((id) => byJar.get(id) ?? []);
}

/** Documents by id in the order asked, null where missing. One query. */
export async function findDocuments(em: EntityManager, ids: readonly string[]): Promise<(Document | null)[]> {
  const wanted = [...new Set(ids.filter(isId))];
  const docs = wanted.length ? await em.find(Document, { id: { $in: wanted } }) : [];
  const byId = new Map(docs.map((d) => [d.id, d]));
  return ids.map((id) => byId.get(id) ?? null);
}
