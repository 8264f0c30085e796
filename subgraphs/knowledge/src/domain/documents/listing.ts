// Pages of documents, newest first, holding only documents the viewer may read: a jar's documents (one statement
// for all the jars of a request that ask for the same page) and the list across the readable jars with filters; and
// the review queue, oldest first.
// Cursors are kit's opaque (createdAt, id) keys; how many documents a list holds is counted only when asked.
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  afterKey,
  isAdmin,
  isId,
  keyJars,
  groupedPages,
  keysetPage,
  UnauthenticatedError,
  withinKeyJars,
  type CursorKey,
  type KeysetPage,
  type SubgraphContext,
  type Viewer,
  uuidArray,
  pageArgs,
} from '@sting/kit';
import { Document } from '../../entities/document.ts';
import { jarFacts, readableJarIds } from '../jar-access/access.ts';
import { accessTables } from '../jar-access/read-model.ts';
import { canOnDocument } from './policies.ts';

type Scope = Pick<SubgraphContext, 'viewer' | 'em'>;

export const DOCUMENT_PAGE = { default: 50, max: 200 } as const;

export type DocumentPage = KeysetPage<Document>;

export interface JarPageKey {
  honeyJarId: string;
  first?: number | null;
  after?: string | null;
}

const table = (em: EntityManager) => `"${em.config.get('schema')}"."document"`;

/**
 * Which of the jars' documents the viewer reads, as the documents' policy decides it (the single source of the
 * rule): every one (the jar's reviewers: its owner, admins), every one but other people's proposals waiting for
 * review (its readers), or none. Put as one SQL condition on `d`, with its parameters.
 */
async function readableDocumentsSql(
  em: EntityManager,
  viewer: Viewer | null,
  jarIds: readonly string[],
): Promise<{ jars: string[]; sql: string; params: unknown[] }> {
  const wanted = [...new Set(jarIds.filter((id) => isId(id)))];
  const reviewed: string[] = [];
  const read: string[] = [];
  await Promise.all(
    wanted.map(async (id) => {
      const facts = await jarFacts(em, viewer, id);
      if (canOnDocument(viewer, 'read', facts, { uploadedBy: '', processingStatus: 'PENDING_REVIEW' }))
        reviewed.push(id);
      else if (canOnDocument(viewer, 'read', facts, { uploadedBy: '', processingStatus: 'READY' }))
        read.push(id);
    }),
  );
  const jars = [...reviewed, ...read];
  return {
    jars,
    sql:
      `d.honey_jar_id = any(?::uuid[]) and (d.honey_jar_id = any(?::uuid[]) ` +
      `or d.processing_status <> 'PENDING_REVIEW' or d.uploaded_by = ?::uuid)`,
    params: [uuidArray(jars), uuidArray(reviewed), viewer?.kind === 'user' ? viewer.id : null],
  };
}

/** One page of each jar's documents, in the order of `keys`; a key with a bad `first` or `after` gets its error. */
export function jarDocumentPages(
  em: EntityManager,
  viewer: Viewer | null,
  keys: readonly JarPageKey[],
): Promise<(DocumentPage | Error)[]> {
  return groupedPages(
    keys,
    (key) => key.honeyJarId,
    DOCUMENT_PAGE,
    async (jars, first, after) => {
      const readable = await readableDocumentsSql(em, viewer, jars);
      // Each jar's page read through its (honey_jar_id, created_at) index, stopping at the page's end: a jar of
      // 100,000 documents costs what a small one does.
      const rows = readable.jars.length
        ? await em.getConnection().execute<Record<string, unknown>[]>(
            `select d.* from unnest(?::uuid[]) with ordinality as jar(id, n)
             cross join lateral (
               select * from ${table(em)} d
               where d.honey_jar_id = jar.id and ${readable.sql}
                 ${after ? 'and (d.created_at, d.id) < (?::timestamptz, ?::uuid)' : ''}
               order by d.created_at desc, d.id desc
               limit ?
             ) d
             order by jar.n, d.created_at desc, d.id desc`,
            [
              uuidArray(readable.jars),
              ...readable.params,
              ...(after ? [after.createdAt, after.id] : []),
              first + 1,
            ],
          )
        : [];
      const byJar = new Map<string, Document[]>();
      for (const row of rows) {
        const doc = em.map(Document, row);
        const list = byJar.get(doc.honeyJarId) ?? [];
        list.push(doc);
        byJar.set(doc.honeyJarId, list);
      }
      return byJar;
    },
  );
}

/** How many documents of each jar the viewer may read, in the order of `jarIds`. One statement. */
export async function jarDocumentCounts(
  em: EntityManager,
  viewer: Viewer | null,
  jarIds: readonly string[],
): Promise<number[]> {
  const readable = await readableDocumentsSql(em, viewer, jarIds);
  const rows = readable.jars.length
    ? await em
        .getConnection()
        .execute<{ honey_jar_id: string; n: string }[]>(
          `select d.honey_jar_id, count(*) as n from ${table(em)} d where ${readable.sql} group by d.honey_jar_id`,
          readable.params,
        )
    : [];
  const counts = new Map(rows.map((row) => [row.honey_jar_id, Number(row.n)]));
  return jarIds.map((id) => counts.get(id) ?? 0);
}

export interface DocumentQuery {
  honeyJarId?: string | null;
  fileType?: string | null;
  from?: Date | null;
  to?: Date | null;
  first?: number | null;
  after?: string | null;
}

/**
 * Documents across the jars the viewer may read (or one of them), newest first, with optional filters. Proposals
 * waiting for review show only to their uploader here (reviewers have documentReviewQueue).
 */
export async function listDocuments(scope: Scope, query: DocumentQuery): Promise<CountedPage> {
  const { viewer, em } = scope;
  if (viewer === null) throw new UnauthenticatedError();
  const { first, after } = listArgs(query);
  const jars = await readableJarIds(em, viewer, query.honeyJarId ? [query.honeyJarId] : undefined);
  if (jars.length === 0) return emptyPage(first);
  const seesAll = viewer.kind === 'system' || isAdmin(viewer, null);
  const where = {
    honeyJarId: { $in: jars },
    ...(query.fileType ? { fileType: query.fileType.toLowerCase() } : {}),
    ...(query.from || query.to
      ? {
          createdAt: {
            ...(query.from ? { $gte: query.from } : {}),
            ...(query.to ? { $lt: query.to } : {}),
          },
        }
      : {}),
    ...(seesAll
      ? {}
      : { $or: [{ processingStatus: { $ne: 'PENDING_REVIEW' as const } }, { uploadedBy: viewer.id }] }),
  };
  return documentPage(em, where, first, after, 'desc');
}

export type ReviewQueueQuery = Pick<DocumentQuery, 'honeyJarId' | 'first' | 'after'>;

/**
 * Documents waiting for the viewer's review, oldest first: in the jars they own, or every jar for an admin (an API
 * key restricted to some jars reviews only those). Paged like every list: anyone signed in may propose documents to
 * a PUBLIC jar, so its owner's queue can grow long.
 */
export async function reviewQueue(scope: Scope, query: ReviewQueueQuery): Promise<CountedPage> {
  const { viewer, em } = scope;
  if (viewer === null) throw new UnauthenticatedError();
  const { first, after } = listArgs(query);
  if (viewer.kind !== 'user') return emptyPage(first);
  const onlyJars = keyJars(viewer);
  let jars: string[] | undefined = onlyJars ? [...onlyJars] : undefined;
  if (!isAdmin(viewer, null)) {
    const rows = await em
      .getConnection()
      .execute<{ honey_jar_id: string }[]>(
        `select honey_jar_id from ${accessTables(em).jars} where owner_id = ? and not deleted`,
        [viewer.id],
      );
    jars = withinKeyJars(
      viewer,
      rows.map((r) => r.honey_jar_id),
    );
  }
  if (query.honeyJarId) jars = (jars ?? [query.honeyJarId]).filter((id) => id === query.honeyJarId);
  if (jars?.length === 0) return emptyPage(first);
  const where = {
    processingStatus: 'PENDING_REVIEW' as const,
    ...(jars ? { honeyJarId: { $in: jars } } : {}),
  };
  return documentPage(em, where, first, after, 'asc');
}

type CountedPage = DocumentPage & { totalCount: () => Promise<number> };

/** A list's page size and cursor, and the jar it names, each checked. */
function listArgs(query: ReviewQueueQuery): {
  first: number;
  after: CursorKey | null;
} {
  const { first, after } = pageArgs(query, DOCUMENT_PAGE);
  if (query.honeyJarId && !isId(query.honeyJarId))
    throw new BadUserInputError('honeyJarId is not a valid id', 'honeyJarId');
  return { first, after };
}

const emptyPage = (first: number): CountedPage => ({ ...keysetPage([], first), totalCount: async () => 0 });

/** The page after `after` of the documents matching `where`, in (createdAt, id) order; counted only when asked. */
async function documentPage(
  em: EntityManager,
  where: FilterQuery<Document>,
  first: number,
  after: CursorKey | null,
  order: 'asc' | 'desc',
): Promise<CountedPage> {
  const rows = await em.find(
    Document,
    after ? { $and: [where, afterKey<Document>(after, { order })] } : where,
    {
      orderBy: [{ createdAt: order }, { id: order }],
      limit: first + 1,
    },
  );
  return { ...keysetPage(rows, first), totalCount: () => em.count(Document, where) };
}
