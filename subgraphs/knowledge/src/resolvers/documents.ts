// Documents, uploads and the review queue on the graph. Resolvers stay thin: every rule is in domain/documents.
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { payloadFeed, type SubgraphContext } from '@sting/kit';
import { Document } from '../entities/document.ts';
import type { StagedUpload } from '../entities/staged-upload.ts';
import { canRead } from '../domain/jar-access/access.ts';
import {
  approveDocument,
  deleteDocument,
  findDocument,
  rejectDocument,
  reprocessDocument,
} from '../domain/documents/documents.ts';
import {
  jarDocumentCounts,
  jarDocumentPages,
  listDocuments,
  reviewQueue,
  type DocumentPage,
  type DocumentQuery,
  type JarPageKey,
  type ReviewQueueQuery,
} from '../domain/documents/listing.ts';
import { canOnDocument } from '../domain/documents/policies.ts';
import { authorize } from '../domain/policies.ts';
import {
  documentStatusTopic,
  isAccessChange,
  type DocumentEvent,
  type JarFeedEvent,
} from '../domain/documents/status.ts';
import {
  completeUpload,
  createUpload,
  describeUploadLimit,
  openUploadFor,
  type CreateUploadInput,
} from '../domain/documents/uploads.ts';
import { jarFacts } from '../domain/jar-access/access.ts';
import { can as canJar } from '../domain/jar-access/policies.ts';
import { NotFoundError } from '@sting/kit';

type Context = SubgraphContext;
type DocumentParent = Partial<Document> & { id: string };

// Per request (the entity manager is forked per request): one statement per batch of jars asking for a page
// (or a count) of their documents.
interface Loaders {
  pageOfJar: DataLoader<JarPageKey, DocumentPage, string>;
  countOfJar: DataLoader<string, number>;
}
const loaders = new WeakMap<EntityManager, Loaders>();
function loadersOf(ctx: Context): Loaders {
  let found = loaders.get(ctx.em);
  if (!found) {
    found = {
      pageOfJar: new DataLoader((keys) => jarDocumentPages(ctx.em, ctx.viewer, keys), {
        cacheKeyFn: (key) => JSON.stringify([key.honeyJarId, key.first ?? null, key.after ?? null]),
      }),
      countOfJar: new DataLoader((ids) => jarDocumentCounts(ctx.em, ctx.viewer, ids)),
    };
    loaders.set(ctx.em, found);
  }
  return found;
}

const uploadView = (upload: StagedUpload, token: string | null, mode = upload.mode) => ({
  uploadUrl: token ? `/api/v1/uploads/${token}` : '',
  token: token ?? '',
  expiresAt: upload.expiresAt,
  maxBytes: upload.maxBytes,
  limit: describeUploadLimit(upload),
  reviewRequired: mode === 'review',
});

/** A Document parent may be a bare reference (from search hits): load the row, read-checked, once. */
async function full(parent: DocumentParent, ctx: Context): Promise<Document> {
  if (parent.contentHash !== undefined) return parent as Document;
  const doc = await findDocument(ctx, parent.id);
  if (!doc) throw new NotFoundError('Document', parent.id);
  return doc;
}

const field =
  <K extends keyof Document>(name: K) =>
  async (parent: DocumentParent, _: unknown, ctx: Context) =>
    parent[name] !== undefined ? (parent[name] as Document[K]) : (await full(parent, ctx))[name];

const dated = (value: Date | string) => (value instanceof Date ? value : new Date(value));

export const DocumentFields = {
  __resolveReference: (ref: { id: string }, ctx: Context) => findDocument(ctx, ref.id),
  honeyJar: async (parent: DocumentParent, _: unknown, ctx: Context) => ({
    id: (await full(parent, ctx)).honeyJarId,
  }),
  title: field('title'),
  fileType: field('fileType'),
  contentType: field('contentType'),
  size: field('size'),
  contentHash: field('contentHash'),
  processingStatus: field('processingStatus'),
  progress: field('progress'),
  processingError: field('processingError'),
  chunkCount: field('chunkCount'),
  piiFindings: async (parent: DocumentParent, _: unknown, ctx: Context) =>
    Object.entries((await full(parent, ctx)).piiFindings ?? {}).map(([type, count]) => ({ type, count })),
  uploadedBy: async (parent: DocumentParent, _: unknown, ctx: Context) => ({
    id: (await full(parent, ctx)).uploadedBy,
  }),
  createdAt: async (parent: DocumentParent, _: unknown, ctx: Context) =>
    dated((await full(parent, ctx)).createdAt),
  updatedAt: async (parent: DocumentParent, _: unknown, ctx: Context) =>
    dated((await full(parent, ctx)).updatedAt),
};

export const HoneyJarDocumentFields = {
  documents: async (
    { id }: { id: string },
    args: { first?: number | null; after?: string | null },
    ctx: Context,
  ) => ({
    ...(await loadersOf(ctx).pageOfJar.load({ honeyJarId: id, first: args.first, after: args.after })),
    // Counted only when the field is selected.
    totalCount: () => loadersOf(ctx).countOfJar.load(id),
  }),
  // One statement for every jar of a list (the web app's jar cards).
  documentCount: ({ id }: { id: string }, _: unknown, ctx: Context) => loadersOf(ctx).countOfJar.load(id),
};

// Each way in asks the scope an API key needs (policies.ts); which documents it then sees is the documents' rule.
export const documentQueries = {
  document: (_: unknown, args: { id: string }, ctx: Context) => {
    authorize(ctx.viewer, 'documents:read');
    return findDocument(ctx, args.id);
  },
  documents: (_: unknown, args: DocumentQuery & { honeyJarId?: string | null }, ctx: Context) => {
    authorize(ctx.viewer, 'documents:read');
    return listDocuments(ctx, args);
  },
  documentReviewQueue: (_: unknown, args: ReviewQueueQuery, ctx: Context) => {
    authorize(ctx.viewer, 'documents:read');
    return reviewQueue(ctx, args);
  },
  stagedUpload: async (_: unknown, args: { token: string }, ctx: Context) => {
    authorize(ctx.viewer, 'documents:write');
    const open = await openUploadFor(ctx, args.token);
    return open ? uploadView(open.upload, args.token, open.mode) : null;
  },
};

/** A mutation's resolver behind the documents:write check. */
const writing =
  <A, R>(run: (args: A, ctx: Context) => Promise<R>) =>
  (_: unknown, args: A, ctx: Context) => {
    authorize(ctx.viewer, 'documents:write');
    return run(args, ctx);
  };

export const documentMutations = {
  createUpload: writing(async (args: CreateUploadInput, ctx) => {
    const { upload, token } = await createUpload(ctx, args);
    return uploadView(upload, token);
  }),
  completeUpload: writing((args: { token: string }, ctx) => completeUpload(ctx, args.token)),
  reprocessDocument: writing((args: { id: string }, ctx) => reprocessDocument(ctx, args.id)),
  deleteDocument: writing((args: { id: string }, ctx) => deleteDocument(ctx, args.id)),
  approveDocument: writing((args: { id: string }, ctx) => approveDocument(ctx, args.id)),
  rejectDocument: writing((args: { id: string }, ctx) => rejectDocument(ctx, args.id)),
};

export const documentSubscriptions = {
  documentStatusChanged: {
    subscribe: async (_: unknown, args: { honeyJarId: string }, ctx: Context) => {
      authorize(ctx.viewer, 'documents:read');
      if (!(await canRead(ctx.em, ctx.viewer, args.honeyJarId)))
        throw new NotFoundError('Honey jar', args.honeyJarId);
      const { viewer, em, logger } = ctx;
      const events = await ctx.bus.subscribe<JarFeedEvent>(documentStatusTopic(args.honeyJarId));
      // Access is decided again at every event, from the read model as it is then: a person removed from the jar
      // (or whose jar was made private, or deleted) hears nothing more, and the feed ends, at once, since each such
      // change is announced on the jar's topic too. Proposals waiting for review are announced only to those who
      // may see them. When access cannot be checked, the feed ends too.
      return payloadFeed(events, async (doc) => {
        let facts;
        try {
          facts = await jarFacts(em, viewer, args.honeyJarId);
        } catch (err) {
          logger.warn({ err }, 'jar access could not be checked; the document status feed ends');
          return 'end';
        }
        if (!canJar(viewer, 'read', facts)) return 'end';
        return !isAccessChange(doc) && canOnDocument(viewer, 'read', facts, doc);
      });
    },
    resolve: (event: DocumentEvent) => ({
      ...event,
      createdAt: new Date(event.createdAt),
      updatedAt: new Date(event.updatedAt),
    }),
  },
};
