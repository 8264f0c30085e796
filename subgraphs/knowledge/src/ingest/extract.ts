// extractDocument: reads one document's structured text in a worker thread with a time limit and a heap
// limit, so a hostile or broken file can fail only itself: never crash the process or block other documents.
import { Worker } from 'node:worker_threads';
import { ExtractionError, type ExtractionFailure } from './errors.ts';
import type { ExtractedDocument, ExtractionLimits, FileType } from './types.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = Object.freeze({
  timeoutMs: 60_000,
  maxMemoryMb: 512,
  maxArchiveEntries: 10_000,
  maxDecompressedBytes: 256 * 1024 * 1024,
  maxJsonDepth: 100,
  maxChunks: 20_000,
});

const WORKER_URL = new URL('./worker.ts', import.meta.url);
/** Idle workers kept warm (parsers loaded); beyond this, finished workers exit. */
const MAX_IDLE = 2;
const idle: { worker: Worker; memoryMb: number }[] = [];
let nextId = 1;

function takeWorker(memoryMb: number): Worker {
  const at = idle.findIndex((w) => w.memoryMb === memoryMb);
  if (at >= 0) {
    const [{ worker }] = idle.splice(at, 1);
    worker.ref();
    return worker;
  }
  const worker = new Worker(WORKER_URL, {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  });
  // A warm worker that dies while idle must not be handed out again.
  worker.once('exit', () => {
    const at = idle.findIndex((w) => w.worker === worker);
    if (at >= 0) idle.splice(at, 1);
  });
  return worker;
}

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

function giveBack(worker: Worker, memoryMb: number): void {
  if (idle.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle.push({ worker, memoryMb });
}

export function extractDocument(
  bytes: Uint8Array,
  fileType: FileType,
  limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
  signal?: AbortSignal,
): Promise<ExtractedDocument> {
  if (signal?.aborted)
    return Promise.reject(new ExtractionError('cancelled', 'reading the file was cancelled'));
  if (bytes.length === 0) return Promise.reject(new ExtractionError('empty', 'the file is empty (0 bytes)'));
  const worker = takeWorker(limits.maxMemoryMb);
  const id = nextId++;
  // A copy the worker owns; the caller's buffer stays usable.
  const copy = bytes.slice();
  return new Promise<ExtractedDocument>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: ExtractedDocument | ExtractionError, keepWorker: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keepWorker) giveBack(worker, limits.maxMemoryMb);
      else void worker.terminate();
      if (outcome instanceof ExtractionError) reject(outcome);
      else resolve(outcome);
    };
    const fail = (reason: ExtractionFailure, message: string, keep = false): void =>
      finish(new ExtractionError(reason, message), keep);
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== id) return;
      if (reply.ok) finish(reply.document, true);
      else fail(reply.reason, reply.message, true);
    };
    const onError = (err: Error & { code?: string }): void => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        fail('out-of-memory', `reading the file needed more than ${limits.maxMemoryMb} MB of memory`);
      } else fail('malformed', 'the file could not be read (the reader failed on its content)');
    };
    const onExit = (): void =>
      fail('malformed', 'the file could not be read (the reader stopped unexpectedly)');
    const onAbort = (): void => fail('cancelled', 'reading the file was cancelled');
    const timer = setTimeout(
      () => fail('timeout', `reading the file took longer than ${seconds(limits.timeoutMs)}, the limit`),
      limits.timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const request: WorkerRequest = { id, bytes: copy, fileType, limits };
    worker.postMessage(request, [copy.buffer]);
  });
}
