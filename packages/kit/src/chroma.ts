// The Chroma vector store client (chromadb v3), built from the one URL in config, the heartbeat that health
// and readiness checks use, and a lean nearest-neighbour query for searches that ask many collections at once.
import http from 'node:http';
import https from 'node:https';
import { ChromaClient, ChromaNotFoundError, type Collection } from 'chromadb';

/** `http://127.0.0.1:8300` or `https://chroma.internal`; a path prefix is not supported by chromadb v3. */
function parseChromaUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Chroma URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Chroma URL "${url}" must be http or https`);
  }
  return parsed;
}

export function createChromaClient(
  url: string,
  options: { headers?: Record<string, string> } = {},
): ChromaClient {
  const parsed = parseChromaUrl(url);
  const ssl = parsed.protocol === 'https:';
  return new ChromaClient({
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : ssl ? 443 : 80,
    ssl,
    headers: options.headers,
  });
}

export type ChromaHeartbeat =
  { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: string };

/** Asks Chroma for its heartbeat; never throws, and gives up after `timeoutMs`. */
export async function chromaHeartbeat(client: ChromaClient, timeoutMs = 2000): Promise<ChromaHeartbeat> {
  const began = performance.now();
  const elapsed = () => Math.round(performance.now() - began);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no heartbeat within ${timeoutMs}ms`)), timeoutMs);
  });
  try {
    const beat = await Promise.race([client.heartbeat(), timeout]);
    if (typeof beat !== 'number')
      return { ok: false, latencyMs: elapsed(), error: 'unexpected heartbeat answer' };
    return { ok: true, latencyMs: elapsed() };
  } catch (err) {
    return { ok: false, latencyMs: elapsed(), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** A query vector as the JSON Chroma reads, written once for all the collections a search asks. */
export type ChromaQueryVector = { readonly json: string };

export function chromaQueryVector(vector: ArrayLike<number>): ChromaQueryVector {
  const values: number[] = [];
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i];
    if (!Number.isFinite(value))
      throw new RangeError('a query vector holds a value that is not a finite number');
    values.push(value);
  }
  return { json: JSON.stringify(values) };
}

export interface ChromaNearestHits {
  ids: string[];
  distances: number[];
}

/** The `nResults` records of one collection nearest to the vector, closest first, with their distances. */
export type ChromaNearest = (
  collection: Pick<Collection, 'id' | 'tenant' | 'database'>,
  vector: ChromaQueryVector,
  nResults: number,
) => Promise<ChromaNearestHits>;

export class ChromaQueryError extends Error {
  override name = 'ChromaQueryError';
  /** Chroma's HTTP status, when it answered. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/**
 * Chroma's query endpoint (`POST /api/v2/tenants/{tenant}/databases/{database}/collections/{id}/query`) through
 * a keep-alive agent. The same request `Collection.query` makes, for about a third of the client's CPU: the
 * chromadb client serialises every float through a JSON replacer and goes through fetch's web streams, about
 * 0.8 ms a query more here, and a search over 100 jars asks 100 collections. Errors carry Chroma's message.
 */
export function createChromaNearest(
  url: string,
  options: { timeoutMs?: number; maxSockets?: number } = {},
): ChromaNearest {
  const base = parseChromaUrl(url);
  const transport = base.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 32 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  return (collection, vector, nResults) =>
    new Promise((resolve, reject) => {
      if (!Number.isInteger(nResults) || nResults < 1) {
        reject(new RangeError(`nResults must be a positive integer, got ${nResults}`));
        return;
      }
      const path =
        `/api/v2/tenants/${encodeURIComponent(collection.tenant)}` +
        `/databases/${encodeURIComponent(collection.database)}` +
        `/collections/${encodeURIComponent(collection.id)}/query`;
      const body = `{"query_embeddings":[${vector.json}],"n_results":${nResults},"include":["distances"]}`;
      const request = transport.request(
        {
          agent,
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port || undefined,
          method: 'POST',
          path,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (part: Buffer) => parts.push(part));
          response.on('error', (err) => reject(new ChromaQueryError(`Chroma query: ${err.message}`)));
          response.on('end', () => {
            try {
              resolve(nearestHits(response.statusCode ?? 0, Buffer.concat(parts)));
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (err) => reject(new ChromaQueryError(`Chroma query: ${err.message}`)));
      request.end(body);
    });
}

/** Whether Chroma said the collection asked for does not exist (through its client or a nearest query). */
export function isChromaNotFound(err: unknown): boolean {
  return err instanceof ChromaNotFoundError || (err instanceof ChromaQueryError && err.status === 404);
}

/** Chroma's answer to a query: its hits, or a ChromaQueryError with its message (any answer, never a throw elsewhere). */
function nearestHits(status: number, body: Buffer): ChromaNearestHits {
  let answer: unknown;
  try {
    answer = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ChromaQueryError(`Chroma query: status ${status}, an answer that is not JSON`, status);
  }
  const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as {
    ids?: unknown;
    distances?: unknown;
    message?: unknown;
  };
  if (status < 200 || status >= 300) {
    const message = typeof fields.message === 'string' ? fields.message : `status ${status}`;
    throw new ChromaQueryError(`Chroma query: ${message}`.slice(0, 500), status);
  }
  const ids = Array.isArray(fields.ids) && Array.isArray(fields.ids[0]) ? (fields.ids[0] as unknown[]) : null;
  if (!ids || !ids.every((id) => typeof id === 'string')) {
    throw new ChromaQueryError('Chroma query: an answer without a list of ids', status);
  }
  const distances =
    Array.isArray(fields.distances) && Array.isArray(fields.distances[0])
      ? (fields.distances[0] as unknown[])
      : [];
  return {
    ids,
    distances: ids.map((_, i) => (typeof distances[i] === 'number' ? distances[i] : 2)),
  };
}
