// POSTs a protobuf body to a receiver that answers with a status (Loki's push API, an OTLP/HTTP collector), over
// kept-alive connections. node:http rather than fetch: a push is one request a second or more per process, and
// fetch costs about twice the CPU time per request of this size (a batch is a few hundred KB).
import http from 'node:http';
import https from 'node:https';

/** Kept-alive connections; an idle one never keeps the process alive (the agent unrefs it). */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** Who posts to whom: the receiver as an error names it, and the request's User-Agent (OTLP asks exporters for one). */
export interface ProtobufPoster {
  receiver: string;
  userAgent: string;
}

/**
 * Resolves with the answer's status once it has been read (its body discarded), or rejects when there is no answer
 * within `timeoutMs` (the error names the receiver) or the connection fails.
 */
export function postProtobuf(
  url: URL,
  body: Uint8Array,
  timeoutMs: number,
  { receiver, userAgent }: ProtobufPoster,
): Promise<number> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: {
          'content-type': 'application/x-protobuf',
          'content-length': body.length,
          'user-agent': userAgent,
        },
      },
      (response) => {
        response.once('error', fail);
        response.resume();
        response.once('end', () => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
      },
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    // Like fetch's AbortSignal.timeout, the time limit alone never keeps the process alive.
    const timer = setTimeout(
      () => request.destroy(new Error(`${receiver} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref();
    request.once('error', fail);
    request.end(body);
  });
}
