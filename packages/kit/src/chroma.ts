// The Chroma vector store client (chromadb v3), built from the one URL in config, the heartbeat that health
// and readiness checks use, and a lean nearest-neighbour query for searches that ask many collections at once.
import http from 'node:http';
import https from 'node:https';
import { ChromaClient, type Collection } from 'chromadb';

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
 * When a query that is slow by this client's own recent record gets a second, identical request (a hedge), the
 * first answer kept and the other request dropped: a query's slow tail is mostly one request meeting a moment's
 * delay in the server (its collection's cache, a compaction, a scheduling stall) that a second request does not.
 */
export interface ChromaHedging {
  /** The share of this client's recent queries' answer times after which the second request goes (0.95: p95). */
  quantile: number;
  /** Never sooner than this (ms), however quick recent answers were. */
  minDelayMs: number;
  /** At most this share of queries is hedged, over any run of them: when the server is slow for every query, a second request for each would only add to its load. */
  maxShare: number;
}

export const DEFAULT_HEDGING: ChromaHedging = { quantile: 0.95, minDelayMs: 10, maxShare: 0.05 };

/** Answer times kept, and how many there must be before any query is hedged. */
const HEDGE_WINDOW = 128;
const HEDGE_MIN_SAMPLES = 32;
/** The hedge delay is worked out again after this many new answer times. */
const HEDGE_REFRESH = 16;
/** Hedges saved up at most (a burst of slow queries after a quiet spell). */
const HEDGE_BURST = 4;

/** One request in flight: its answer, and a way to drop it. */
interface SentQuery {
  answer: Promise<ChromaNearestHits>;
  drop(): void;
}

/**
 * When to hedge: the quantile of recent answer times (recorded for the first request of each query, from its
 * start to the query's answer, so hedged queries count with the time they really took), and a budget of hedges
 * that grows by `maxShare` a query.
 */
class HedgePolicy {
  readonly #settings: ChromaHedging;
  readonly #times = new Float64Array(HEDGE_WINDOW);
  #recorded = 0;
  #delayMs = Infinity;
  #budget = 0;

  constructor(settings: ChromaHedging) {
    this.#settings = settings;
  }

  /**
   * Milliseconds to wait before a second request for a query starting now, or Infinity for none. A finite delay
   * holds a hedge of the budget (queries asked at once cannot all spend the same one); `unused` gives it back.
   */
  delayForNext(): number {
    this.#budget = Math.min(HEDGE_BURST, this.#budget + this.#settings.maxShare);
    if (this.#budget < 1 || this.#delayMs === Infinity) return Infinity;
    this.#budget -= 1;
    return this.#delayMs;
  }

  /** The query answered before its second request was due. */
  unused(): void {
    this.#budget = Math.min(HEDGE_BURST, this.#budget + 1);
  }

  record(ms: number): void {
    this.#times[this.#recorded % HEDGE_WINDOW] = ms;
    this.#recorded++;
    if (this.#recorded >= HEDGE_MIN_SAMPLES && this.#recorded % HEDGE_REFRESH === 0) {
      const times = this.#times.slice(0, Math.min(this.#recorded, HEDGE_WINDOW)).sort();
      const at = Math.min(times.length - 1, Math.floor(this.#settings.quantile * times.length));
      this.#delayMs = Math.max(this.#settings.minDelayMs, times[at]);
    }
  }
}

/**
 * Chroma's query endpoint (`POST /api/v2/tenants/{tenant}/databases/{database}/collections/{id}/query`) through
 * a keep-alive agent. The same request `Collection.query` makes, for about a third of the client's CPU: the
 * chromadb client serialises every float through a JSON replacer and goes through fetch's web streams, about
 * 0.8 ms a query more here, and a search over 100 jars asks 100 collections. Errors carry Chroma's message.
 * A query slower than most is hedged (ChromaHedging; `hedging: null` for never): the first answer is kept, an
 * error only once both requests have failed, and the other request is dropped.
 */
export function createChromaNearest(
  url: string,
  options: { timeoutMs?: number; maxSockets?: number; hedging?: ChromaHedging | null } = {},
): ChromaNearest {
  const base = parseChromaUrl(url);
  const transport = base.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 32 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy = options.hedging === null ? null : new HedgePolicy(options.hedging ?? DEFAULT_HEDGING);

  const send = (path: string, body: string): SentQuery => {
    let request: http.ClientRequest | undefined;
    const answer = new Promise<ChromaNearestHits>((resolve, reject) => {
      request = transport.request(
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
      request.on('timeout', () => request!.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (err) => reject(new ChromaQueryError(`Chroma query: ${err.message}`)));
      request.end(body);
    });
    return { answer, drop: () => request?.destroy() };
  };

  return async (collection, vector, nResults) => {
    if (!Number.isInteger(nResults) || nResults < 1)
      throw new RangeError(`nResults must be a positive integer, got ${nResults}`);
    const path =
      `/api/v2/tenants/${encodeURIComponent(collection.tenant)}` +
      `/databases/${encodeURIComponent(collection.database)}` +
      `/collections/${encodeURIComponent(collection.id)}/query`;
    const body = `{"query_embeddings":[${vector.json}],"n_results":${nResults},"include":["distances"]}`;
    const began = performance.now();
    const first = send(path, body);
    if (!policy) return first.answer;
    const delayMs = policy.delayForNext();
    if (delayMs === Infinity) return first.answer.finally(() => policy.record(performance.now() - began));
    let secondSent = false;
    const second = () => {
      secondSent = true;
      return send(path, body);
    };
    return hedged(first, delayMs, second).finally(() => {
      if (!secondSent) policy.unused();
      policy.record(performance.now() - began);
    });
  };
}

/**
 * The first request's answer, or, if none has come after `delayMs`, whichever of it and a second request answers
 * first (the other dropped). A failure before the second request is sent is the query's; after, the query fails
 * only when both have, with the first request's error.
 */
function hedged(first: SentQuery, delayMs: number, second: () => SentQuery): Promise<ChromaNearestHits> {
  return new Promise((resolve, reject) => {
    let hedge: SentQuery | undefined;
    let failures = 0;
    let firstError: unknown;
    let done = false;
    const timer = setTimeout(() => {
      hedge = second();
      hedge.answer.then(
        (hits) => settle(hits, first),
        () => fail(undefined),
      );
    }, delayMs);
    const settle = (hits: ChromaNearestHits, other: SentQuery | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      other?.drop();
      resolve(hits);
    };
    const fail = (err: unknown) => {
      if (done) return;
      if (err !== undefined) firstError = err;
      if (++failures < (hedge ? 2 : 1)) return;
      done = true;
      clearTimeout(timer);
      reject(firstError);
    };
    first.answer.then(
      (hits) => settle(hits, hedge),
      (err: unknown) => fail(err ?? new ChromaQueryError('Chroma query failed')),
    );
  });
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
