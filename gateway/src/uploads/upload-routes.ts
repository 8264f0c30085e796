// POST /api/v1/honey-pots/:id/upload (multipart/form-data, one or more `file` parts, an optional `title` before
// each) and PUT /api/v1/uploads/:token (a staged upload's bytes). Each file is announced with createUpload (who
// may add to the jar, limits), streamed encrypted into staging with the limit enforced as it arrives, then
// turned into a document by completeUpload (type by content, dedup). Answers 202 with the documents, each saying
// whether the jar held its bytes already (`already_stored`); 200 when every one did, since nothing was queued.
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { BadUserInputError, ErrorCode, StingError, toRestError } from '@sting/kit/errors.ts';
import { sendJson } from '@sting/kit/subgraph/http-bridge.ts';
import { BlobTooLargeError } from '@sting/knowledge/storage/blob-store.ts';
import type { HttpRouteDeps, HttpRouteFactory } from '../http-routes.ts';
import type { HttpCall } from '../pipeline/http-route.ts';
import { toRestNaming } from '../rest/naming.ts';
import { restFragmentSelection } from '../rest/operations.ts';
import { blobStoreFrom, type BlobStoreSource } from './blob-access.ts';
import { operationFailure } from './operation-errors.ts';

const CREATE = `mutation CreateUpload($honeyJarId: ID!, $filename: String!, $contentType: String, $title: String) {
  createUpload(honeyJarId: $honeyJarId, filename: $filename, contentType: $contentType, title: $title) { token maxBytes limit }
}`;
const LIMITS = `query StagedUploadLimits($token: String!) { stagedUpload(token: $token) { maxBytes limit } }`;
// The document as every REST route answers one (the same as GET /api/v1/honey-pots/{id}/documents).
const COMPLETE = `mutation CompleteUpload($token: String!) {
  completeUpload(token: $token) { alreadyStored document ${restFragmentSelection('RestDocument')} }
}`;

/** A stored file's document, and whether the jar held its bytes before this request (`already_stored`). */
type Stored = Record<string, unknown> & { alreadyStored: boolean };

/** 200 when every file was in the jar already (nothing new stored, nothing queued); else 202, work was queued. */
const statusOf = (stored: readonly Stored[]) => (stored.every((d) => d.alreadyStored) ? 200 : 202);

async function run<T>(call: HttpCall, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await call.runOperation({ query, variables });
  if (result.errors?.length) throw operationFailure(result.errors);
  return result.data as T;
}

/** Files, and other fields (titles), one multipart request may carry. */
const MAX_FILES = 20;
const MAX_FIELDS = 50;

class UploadTooLarge extends Error {}

/** Streams one file into staging under the token's upload, then completes it. */
async function receive(
  call: HttpCall,
  blobs: BlobStoreSource,
  token: string,
  limit: { maxBytes: number; limit: string },
  source: Readable,
): Promise<Stored> {
  const uploadId = token.split('.')[0];
  try {
    await (await blobs()).stage(uploadId, source, limit.maxBytes);
  } catch (err) {
    if (err instanceof BlobTooLargeError) throw new UploadTooLarge(`The file exceeds ${limit.limit}`);
    throw err;
  }
  const data = await run<{
    completeUpload: { alreadyStored: boolean; document: Record<string, unknown> };
  }>(call, COMPLETE, { token });
  const { document, alreadyStored } = data.completeUpload;
  return { ...document, alreadyStored };
}

function tooLarge(call: HttpCall, message: string, stored: readonly Record<string, unknown>[] = []) {
  // The rest of the body is not worth reading: answer, then drop the connection once the answer is out.
  const { body } = refusal(call, { code: ErrorCode.BAD_USER_INPUT, message }, stored);
  call.req.unpipe();
  call.res.on('finish', () => call.req.destroy());
  sendJson(call.res, 413, body, { connection: 'close' });
}

/**
 * A refused file's answer in the REST error shape. After files of the same request were stored, its message says
 * how many, and `data` lists their documents (nothing is taken back).
 */
function refusal(
  call: HttpCall,
  err: { code: string; message: string },
  stored: readonly Record<string, unknown>[],
): { status: number; body: object } {
  if (stored.length === 0) return toRestError(err, call.requestId);
  const files = stored.length === 1 ? 'the file before it was' : `the ${stored.length} files before it were`;
  const { status, body } = toRestError(
    { code: err.code, message: `${err.message} (${files} stored: see data)` },
    call.requestId,
  );
  return { status, body: { ...body, api_version: '1.0', data: toRestNaming(stored) } };
}

/**
 * A part's file name as the browser named it: HTML's multipart/form-data encoding writes a name's `"`, CR and LF
 * as %22, %0D and %0A (and nothing else), which busboy leaves as they came.
 */
function formDataName(name: string | undefined): string | undefined {
  return name?.replace(/%(?:22|0D|0A)/gi, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
}

/**
 * Refuses a part's name or title that was not UTF-8: busboy reads what is not as U+FFFD, which would otherwise be
 * stored in place of the characters the person meant (a Latin-1 `café` as `caf\uFFFD`).
 */
function refuseUndecodable(text: string | undefined, what: string): void {
  if (text?.includes('\uFFFD'))
    throw new BadUserInputError(`${what} is not valid UTF-8`, what === 'title' ? 'title' : 'file');
}

/** The request's multipart parser; BAD_USER_INPUT when its Content-Type names no boundary. */
function multipartParser(call: HttpCall): busboy.Busboy {
  try {
    return busboy({
      headers: call.req.headers,
      // Browsers and curl send a file's name as raw UTF-8 in Content-Disposition; busboy reads latin1 otherwise.
      defParamCharset: 'utf8',
      limits: { fieldSize: 4096, fields: MAX_FIELDS, files: MAX_FILES },
    });
  } catch {
    throw new BadUserInputError(
      'A multipart/form-data body needs a boundary: Content-Type: multipart/form-data; boundary=…',
      'file',
    );
  }
}

/**
 * What the multipart parser failed on, as the client's mistake (a body cut off or a malformed part header); an
 * error already a GraphQL one passes through.
 */
function malformed(err: unknown): Error {
  if (err instanceof BadUserInputError) return err;
  const reason = err instanceof Error ? err.message.replace(/^Multipart: /, '') : String(err);
  return new BadUserInputError(`The multipart/form-data body is malformed: ${reason}`, 'file');
}

function multipartRoute(deps: HttpRouteDeps, blobs: BlobStoreSource) {
  return {
    name: 'documents.upload',
    method: 'POST' as const,
    path: '/api/v1/honey-pots/:id/upload',
    accepts: ['multipart/form-data'],
    // The per-file limit is enforced while streaming; this bounds a whole request of several files.
    bodyLimitBytes: Number.MAX_SAFE_INTEGER,
    async handle(call: HttpCall) {
      const honeyJarId = call.params.id;
      const documents: Stored[] = [];
      let title: string | undefined;
      let parts: Promise<void> = Promise.resolve();
      const parser = multipartParser(call);
      const done = new Promise<void>((resolve, reject) => {
        parser.on('field', (name, value) => {
          if (name === 'title') title = value;
        });
        parser.on('file', (name, stream, info) => {
          // A body that ends inside this part fails this part's stream as well as the parser, which reports it (below).
          // Without a listener of its own until its bytes are staged, the stream's error would end the process.
          stream.on('error', () => {});
          if (name !== 'file') return void stream.resume();
          const given = title;
          title = undefined;
          // One file at a time, in order: busboy waits for this stream to be read before the next part.
          parts = parts.then(async () => {
            const filename = formDataName(info.filename);
            refuseUndecodable(filename, 'The file name');
            refuseUndecodable(given, 'title');
            const created = await run<{ createUpload: { token: string; maxBytes: number; limit: string } }>(
              call,
              CREATE,
              {
                honeyJarId,
                filename: filename || 'upload',
                contentType: info.mimeType,
                title: given ?? null,
              },
            );
            const { token, ...limit } = created.createUpload;
            documents.push(await receive(call, blobs, token, limit, stream));
          });
          // A refused file ends the request at once: nothing after it is read.
          parts.catch((err) => {
            stream.resume();
            reject(err);
          });
        });
        // Past a limit busboy drops the parts silently; the request fails instead, once the files before it are in.
        const refuseOnceStored = (message: string) => () =>
          void parts.then(() => reject(new UploadTooLarge(message)), reject);
        parser.on(
          'filesLimit',
          refuseOnceStored(
            `A request carries at most ${MAX_FILES} files: the first ${MAX_FILES} were taken and the rest not ` +
              'read; send them in another request',
          ),
        );
        parser.on(
          'fieldsLimit',
          refuseOnceStored(`A request carries at most ${MAX_FIELDS} fields besides its files`),
        );
        parser.on('error', (err) => reject(malformed(err)));
        parser.on('close', () => parts.then(resolve, reject));
        // A client gone mid-body: the parser would wait for the rest for ever, and the file being staged with it,
        // its staging file held open. Ending the parser fails that file's stream, so staging stops and cleans up.
        call.req.once('close', () => {
          if (call.req.complete) return;
          const cut = new BadUserInputError('The request body was cut off', 'file');
          parser.destroy(cut);
          reject(cut);
        });
      });
      call.req.pipe(parser);
      try {
        await done;
      } catch (err) {
        if (err instanceof UploadTooLarge) return tooLarge(call, err.message, documents);
        // A file refused after others were stored: the refusal, and what was stored.
        if (err instanceof StingError && documents.length > 0) {
          const { status, body } = refusal(call, err, documents);
          return sendJson(call.res, status, body);
        }
        throw err;
      }
      if (documents.length === 0) throw new BadUserInputError('Send at least one part named `file`', 'file');
      call.audit.target = `honey-jar:${honeyJarId}`;
      sendJson(call.res, statusOf(documents), { api_version: '1.0', data: toRestNaming(documents) });
    },
  };
}

function stagedPutRoute(deps: HttpRouteDeps, blobs: BlobStoreSource) {
  return {
    name: 'documents.stagedUpload',
    method: 'PUT' as const,
    path: '/api/v1/uploads/:token',
    secretParams: ['token'],
    // The token names the upload; the PUT must also come from a signed-in person (session or a key with
    // documents:write), so a leaked upload URL alone puts nothing into a jar.
    accepts: ['application/octet-stream'],
    bodyLimitBytes: Number.MAX_SAFE_INTEGER,
    async handle(call: HttpCall) {
      const token = call.params.token;
      const { stagedUpload } = await run<{ stagedUpload: { maxBytes: number; limit: string } | null }>(
        call,
        LIMITS,
        {
          token,
        },
      );
      if (!stagedUpload) throw new BadUserInputError('The upload token is invalid or has expired', 'token');
      const declared = Number(call.req.headers['content-length'] ?? 0);
      if (declared > stagedUpload.maxBytes) return tooLarge(call, `The file exceeds ${stagedUpload.limit}`);
      try {
        const document = await receive(call, blobs, token, stagedUpload, call.req);
        call.audit.target = `document:${String(document.id)}`;
        sendJson(call.res, statusOf([document]), { api_version: '1.0', data: toRestNaming(document) });
      } catch (err) {
        if (err instanceof UploadTooLarge) return tooLarge(call, err.message);
        throw err;
      }
    },
  };
}

export const uploadRoutes: HttpRouteFactory = (deps) => {
  const blobs = blobStoreFrom(deps);
  return [multipartRoute(deps, blobs), stagedPutRoute(deps, blobs)];
};
