// The Loki push thread (started by loki-push-thread.ts): posts each push request it is handed (encoded by the
// thread that logs) to Loki, answering every request with how the push ended. Requests are independent; several
// may be in flight.
import { parentPort } from 'node:worker_threads';
import { PermanentBatchError } from './batch-sender.ts';
import { pushLokiRequest } from './loki-push.ts';

export interface LokiPushRequest {
  id: number;
  url: string;
  timeoutMs: number;
  /** lokiPushRequest's bytes. */
  body: Uint8Array;
}

/** `permanent`: Loki refused the batch for good (PermanentBatchError); otherwise it may be retried. */
export type LokiPushReply =
  { id: number; ok: true } | { id: number; ok: false; permanent: boolean; message: string };

const port = parentPort!;

port.on('message', async (request: LokiPushRequest) => {
  let reply: LokiPushReply;
  try {
    await pushLokiRequest(request.url, request.body, request.timeoutMs);
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
