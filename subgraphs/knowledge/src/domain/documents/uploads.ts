// Uploads in two steps, so bytes are only accepted from someone allowed to add to the jar: `createUpload` checks
// the viewer and the limits and hands out a short-lived token; the bytes are streamed (by the gateway) into the
// blob store's staging under the upload's id; `completeUpload` inspects what arrived (size, type by content,
// hash), and turns it into a document, or returns the jar's existing document with the same bytes (and says so).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  ForbiddenError,
  isId,
  NotFoundError,
  refuseDeceptiveCharacters,
  UnauthenticatedError,
  type SubgraphContext,
  type Viewer,
} from '@sting/kit';
import { Document } from '../../entities/document.ts';
import { StagedUpload } from '../../entities/staged-upload.ts';
import { detectFileType } from '../../ingest/index.ts';
import { jarFactsCaughtUp } from '../jar-access/readable-now.ts';
import { can, uploadMode } from '../jar-access/policies.ts';
import { documentServices, type DocumentServices } from './services.ts';
import { knowledgeJobs } from '../../jobs/queues.ts';
import { enqueueStatus } from './status.ts';
import { admitProposal } from './documents.ts';
import { bytesUsedByJar, ensureQuotaRoom, lockJarQuota, quotaText } from './quota.ts';
import { lockBlob } from './blob-references.ts';

type Scope = Pick<
  SubgraphContext,
  'viewer' | 'em' | 'runtime' | 'bus' | 'delegatedIdentity' | 'requestId' | 'logger'
>;

export interface CreateUploadInput {
  honeyJarId: string;
  filename: string;
  contentType?: string | null;
  size?: number | null;
  title?: string | null;
}

export interface UploadTicket {
  upload: StagedUpload;
  token: string;
}

/**
 * What completing an upload gave: the document, and whether the jar held these bytes already, in which case
 * nothing was stored or queued for processing. A proposal waiting for review that the upload lets in is not
 * already stored: it enters the jar, and is processed, now.
 */
export interface CompletedUpload {
  document: Document;
  alreadyStored: boolean;
}

function cleanText(value: string, field: string, max: number): string {
  const text = value.trim();
  refuseDeceptiveCharacters(text, field);
  if (text.length === 0 || text.length > max)
    throw new BadUserInputError(`${field} must be 1 to ${max} characters`, field);
  return text;
}

/** The name's last segment, as a default title (the name itself is kept as metadata, never used as a path). */
function baseName(filename: string): string {
  return filename.split(/[\\/]/).filter(Boolean).pop() ?? filename;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Refuses a proposal past the proposer's limit of proposals waiting for review in the jar. */
async function checkPendingProposals(
  em: EntityManager,
  settings: DocumentServices['settings'],
  honeyJarId: string,
  proposer: string,
  field: string,
): Promise<void> {
  const waiting = await em.count(Document, {
    honeyJarId,
    uploadedBy: proposer,
    processingStatus: 'PENDING_REVIEW',
  });
  if (waiting >= settings.maxPendingProposals)
    throw new BadUserInputError(
      `You have ${waiting} proposals waiting for review in this honey jar, the most allowed ` +
        `(knowledge.maxPendingProposals); wait until its owner has reviewed them`,
      field,
    );
}

function describeLimit(reason: string, bytes: number): string {
  return reason === 'quota'
    ? quotaText(bytes)
    : `the upload limit of ${bytes} bytes (knowledge.maxUploadBytes)`;
}

/** What a staged upload may still receive: the smaller of the file limit and what is left of the jar's quota. */
async function uploadAllowance(
  em: EntityManager,
  settings: DocumentServices['settings'],
  honeyJarId: string,
) {
  const left = Math.max(0, settings.jarQuotaBytes - (await bytesUsedByJar(em, honeyJarId)));
  return left < settings.maxUploadBytes
    ? { maxBytes: left, limitReason: 'quota' }
    : { maxBytes: settings.maxUploadBytes, limitReason: 'file' };
}

export async function createUpload(scope: Scope, input: CreateUploadInput): Promise<UploadTicket> {
  const { viewer, em } = scope;
  if (viewer === null) throw new UnauthenticatedError();
  // A jar made a moment ago may not be in knowledge's read model yet (it follows honey-jars' events).
  const facts = await jarFactsCaughtUp(scope, input.honeyJarId);
  if (!can(viewer, 'read', facts)) throw new NotFoundError('Honey jar', input.honeyJarId);
  const mode = uploadMode(viewer, facts);
  if (mode === null || viewer.kind !== 'user')
    throw new ForbiddenError('You may not add documents to this honey jar');
  const filename = cleanText(input.filename, 'filename', 255);
  const title = input.title ? cleanText(input.title, 'title', 300) : baseName(filename).slice(0, 300);
  const contentType = input.contentType ? cleanText(input.contentType, 'contentType', 200) : null;
  const size = input.size ?? null;
  if (size !== null && (!Number.isInteger(size) || size < 0))
    throw new BadUserInputError('size must be a whole number of bytes', 'size');
  if (size === 0) throw new BadUserInputError('The file is empty', 'size');
  const services = await documentServices(scope.runtime);
  if (mode === 'review')
    await checkPendingProposals(em, services.settings, input.honeyJarId, viewer.id, 'honeyJarId');
  const allowance = await uploadAllowance(em, services.settings, input.honeyJarId);
  if (size !== null && size > allowance.maxBytes) {
    throw new BadUserInputError(
      `The file (${size} bytes) exceeds ${describeLimit(allowance.limitReason, allowance.maxBytes)}`,
      'size',
    );
  }
  // Announced uploads that were never completed are forgotten a day after they expired.
  await em.nativeDelete(StagedUpload, { expiresAt: { $lt: new Date(Date.now() - 24 * 3600 * 1000) } });
  const secret = randomBytes(24).toString('base64url');
  const upload = em.create(StagedUpload, {
    honeyJarId: input.honeyJarId,
    uploadedBy: viewer.id,
    filename,
    title,
    declaredContentType: contentType,
    declaredSize: size,
    ...allowance,
    mode,
    tokenHash: hashSecret(secret),
    expiresAt: new Date(Date.now() + services.settings.uploadTtlSeconds * 1000),
    completedAt: null,
  });
  await em.flush();
  return { upload, token: `${upload.id}.${secret}` };
}

/**
 * The open (unexpired, not yet completed) upload a token names, or null. Compares the secret in constant time. An
 * upload is only ever the person's who announced it: anyone else holding its token is told it is invalid, as if it
 * did not exist (a token is a capability of its creator's session, not of whoever has the URL).
 */
export async function findOpenUpload(
  em: EntityManager,
  token: string,
  viewer: Viewer | null,
): Promise<StagedUpload | null> {
  if (viewer?.kind !== 'user') return null;
  const [id, secret] = typeof token === 'string' ? token.split('.', 2) : [];
  if (!id || !secret || !isId(id)) return null;
  const upload = await em.findOne(StagedUpload, id);
  if (!upload || upload.completedAt || upload.expiresAt.getTime() < Date.now()) return null;
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(upload.tokenHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return null;
  return upload.uploadedBy === viewer.id ? upload : null;
}

/**
 * The open upload a token names for the viewer, with how it is taken now: access is decided again as the bytes
 * arrive and when they are turned into a document, so a person removed from the jar (or whose jar was made private
 * or deleted) since announcing the upload adds nothing, and one whose access changed adds as they now may (a
 * proposal for review, or straight in).
 */
export async function openUploadFor(
  scope: Scope,
  token: string,
): Promise<{ upload: StagedUpload; mode: 'direct' | 'review' } | null> {
  const upload = await findOpenUpload(scope.em, token, scope.viewer);
  if (!upload) return null;
  const facts = await jarFactsCaughtUp(scope, upload.honeyJarId);
  if (!can(scope.viewer, 'read', facts)) throw new NotFoundError('Honey jar', upload.honeyJarId);
  const mode = uploadMode(scope.viewer, facts);
  if (mode === null) throw new ForbiddenError('You may not add documents to this honey jar');
  return { upload, mode };
}

export function describeUploadLimit(upload: StagedUpload): string {
  return describeLimit(upload.limitReason, upload.maxBytes);
}

/** Turns the bytes staged for the token into a document (or the jar's existing one with the same bytes). */
export async function completeUpload(scope: Scope, token: string): Promise<CompletedUpload> {
  const { em } = scope;
  const open = await openUploadFor(scope, token);
  if (!open) throw new BadUserInputError('The upload token is invalid or has expired', 'token');
  const { upload, mode } = open;
  const services = await documentServices(scope.runtime);
  const { blobs } = services;
  const staged = await blobs.inspectStaged(upload.id).catch(() => null);
  if (!staged) throw new BadUserInputError('No file was uploaded for this token', 'token');
  const refuse = async (message: string, field = 'file'): Promise<never> => {
    await blobs.removeStaged(staged);
    throw new BadUserInputError(message, field);
  };
  if (staged.size === 0) await refuse('The file is empty');
  if (upload.declaredSize !== null && staged.size !== upload.declaredSize)
    await refuse(`The file has ${staged.size} bytes, not the ${upload.declaredSize} announced`);
  if (staged.size > upload.maxBytes) await refuse(`The file exceeds ${describeUploadLimit(upload)}`);
  const detected = detectFileType(staged.head, upload.filename, upload.declaredContentType ?? undefined);
  if (!detected.ok) await refuse(detected.message);
  const { fileType, contentType } = detected as Extract<typeof detected, { ok: true }>;

  let created: Document | null = null;
  let existing: Document | null = null;
  /** The existing document is a proposal with these bytes, uploaded now by someone who adds to the jar directly. */
  let admitting = false;
  try {
    await em.transactional(async (tx) => {
      // Claims the upload: of two completions racing on one token, only one gets here.
      const claimed = await tx.nativeUpdate(
        StagedUpload,
        { id: upload.id, completedAt: null },
        { completedAt: new Date() },
      );
      if (claimed === 0) throw new BadUserInputError('The upload token is invalid or has expired', 'token');
      existing = await tx.findOne(Document, {
        honeyJarId: upload.honeyJarId,
        contentHash: staged.contentHash,
      });
      if (existing) {
        const waiting = existing.processingStatus === 'PENDING_REVIEW';
        // Someone else's proposal is theirs and the reviewers' to see, not another proposer's.
        if (waiting && mode === 'review' && existing.uploadedBy !== upload.uploadedBy)
          throw new BadUserInputError(
            'The same file is already waiting for review in this honey jar',
            'file',
          );
        // The same bytes again: the existing document, unless it is a proposal and the uploader adds to the jar
        // directly, which lets it in (after this transaction, within the quota).
        admitting = waiting && mode !== 'review';
        return;
      }
      // One completion per jar at a time from here to commit: two uploads that each fit the quota alone
      // cannot both see the same room left and together pass it (nor two proposals the proposer's limit).
      await lockJarQuota(tx, upload.honeyJarId);
      if (mode === 'review')
        await checkPendingProposals(tx, services.settings, upload.honeyJarId, upload.uploadedBy, 'file');
      await ensureQuotaRoom(
        tx,
        services.settings.jarQuotaBytes,
        upload.honeyJarId,
        staged.size,
        'The file',
        'file',
      );
      created = tx.create(Document, {
        honeyJarId: upload.honeyJarId,
        title: upload.title,
        fileType,
        contentType,
        size: staged.size,
        contentHash: staged.contentHash,
        processingStatus: mode === 'review' ? 'PENDING_REVIEW' : 'PENDING',
        uploadedBy: upload.uploadedBy,
        processingError: null,
      });
      await tx.flush();
      // Announced with the row: the event commits with it (flushed with the transaction's commit).
      enqueueStatus(tx, created);
      // Inside the transaction: if moving the bytes fails, no document points at a missing blob.
      await lockBlob(tx, staged.contentHash);
      await blobs.commitStaged(staged);
    });
  } catch (err) {
    await blobs.removeStaged(staged);
    // The same bytes completed concurrently into the same jar: answer with that document.
    if (err instanceof UniqueConstraintViolationException) {
      existing = await em
        .fork()
        .findOne(Document, { honeyJarId: upload.honeyJarId, contentHash: staged.contentHash });
      if (existing) return { document: existing, alreadyStored: true };
    }
    throw err;
  }
  if (existing) {
    await blobs.removeStaged(staged);
    if (!admitting) return { document: existing, alreadyStored: true };
    // Read on the request's own entity manager, which admitting it writes through.
    const proposal = await em.findOneOrFail(Document, (existing as Document).id);
    const admitted = await admitProposal(scope, proposal, { subject: 'The file', field: 'file' });
    return { document: admitted, alreadyStored: false };
  }
  const doc = created as unknown as Document;
  if (doc.processingStatus === 'PENDING')
    await knowledgeJobs(scope.runtime).ingest.enqueue({ documentId: doc.id, version: doc.version });
  return { document: doc, alreadyStored: false };
}
