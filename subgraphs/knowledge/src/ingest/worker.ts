// The extraction worker thread: receives one document at a time, answers with its sections or with the
// reason it cannot be read. Anything thrown that is not an ExtractionError is reported as a damaged file.
import { parentPort } from 'node:worker_threads';
import { ExtractionError, type ExtractionFailure } from './errors.ts';
import { extractInProcess } from './formats/index.ts';
import type { ExtractedDocument, ExtractionLimits, FileType } from './types.ts';

export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  fileType: FileType;
  limits: ExtractionLimits;
}

export type WorkerReply =
  | { id: number; ok: true; document: ExtractedDocument }
  | { id: number; ok: false; reason: ExtractionFailure; message: string };

parentPort?.on('message', async (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = {
      id: request.id,
      ok: true,
      document: await extractInProcess(request.bytes, request.fileType, request.limits),
    };
  } catch (err) {
    reply =
      err instanceof ExtractionError
        ? { id: request.id, ok: false, reason: err.reason, message: err.message }
        : {
            id: request.id,
            ok: false,
            reason: 'malformed',
            message: 'the file is damaged or not what its type says',
          };
  }
  parentPort?.postMessage(reply);
});
