// The Loki push thread (started by loki-push-thread.ts): builds each batch's push body from its columns,
// stringifies it and posts it to Loki, answering every request with how the push ended. Requests are independent;
// several may be in flight.
import { parentPort, workerData } from 'node:worker_threads';
import { PermanentBatchError } from './batch-sender.ts';
import { pushLokiColumns, useLokiClock, type LokiColumns } from './loki-push.ts';

export interface LokiPushWorkerData {
  /** The process's timestamp sequence (lokiClock), continued here. */
  clock: SharedArrayBuffer;
}

export interface LokiPushRequest extends LokiColumns {
  id: number;
  url: string;
  topology: string;
  timeoutMs: number;
}

/** `permanent`: Loki refused the batch for good (PermanentBatchError); otherwise it may be retried. */
export type LokiPushReply =
  { id: number; ok: true } | { id: number; ok: false; permanent: boolean; message: string };

useLokiClock((workerData as LokiPushWorkerData).clock);
const port = parentPort!;

port.on('message', async (request: LokiPushRequest) => {
  let reply: LokiPushReply;
  try {
    await pushLokiColumns(request.url, request, request.topology, request.timeoutMs);
    reply = { id: request.id, ok: true };
  } catch (err) {
    reply = {
      id: request.id,
      ok: false,
      permanent: err instanceof PermanentBatchError,
      message: err instanceof Error ? err.message : String(err),
    };
  }
  port.postMessage(reply);
});
