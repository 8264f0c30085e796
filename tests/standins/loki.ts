// A stand-in Loki following its published HTTP API, enough for the platform's shipping and searching:
// - POST /loki/api/v1/push, JSON form: `{ streams: [{ stream: {label: value}, values: [[ns, line], …] }] }`,
//   answering 204 (400 for a malformed body);
// - GET /ready: 200 `ready` (503 while `down`);
// - GET /loki/api/v1/query_range?query=&start=&end=&limit=&direction= with a LogQL subset: a stream selector of
//   `=` / `!=` / `=~` label matchers and any number of `|= "text"` / `!= "text"` line filters; start inclusive,
//   end exclusive (nanoseconds), answering `{ status: 'success', data: { resultType: 'streams', result } }`.
// Tests make it fail (`down`: 503 to everything; `pushStatus`: that status to every push) and read what was pushed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './listen.ts';

export interface LokiEntry {
  labels: Record<string, string>;
  ns: bigint;
  line: string;
}

export interface StandInLoki {
  url: string;
  /** Every entry accepted, in arrival order. */
  entries: LokiEntry[];
  /** Push requests accepted (each one batch). */
  pushes: number;
  /** Push requests refused while down or answered with `pushStatus`. */
  refused: number;
  /** While true every route answers 503. */
  down: boolean;
  /** While set, every push is refused with this status (400: malformed, 429: too many, 500: failing). */
  pushStatus: number | null;
  close(): Promise<void>;
}

type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };
type LineFilter = { op: '|=' | '!='; text: string };

/** Parses the supported LogQL subset; throws on anything else (answered 400, as Loki does). */
export function parseLogQL(query: string): { matchers: Matcher[]; filters: LineFilter[] } {
  const selector = /^\s*\{([^}]*)\}/.exec(query);
  if (!selector) throw new Error('parse error: expected a stream selector');
  const matchers: Matcher[] = [];
  const matcherRe = /\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  const body = selector[1];
  let m: RegExpExecArray | null;
  while (matcherRe.lastIndex < body.length && (m = matcherRe.exec(body))) {
    matchers.push({ label: m[1], op: m[2] as Matcher['op'], value: unescape(m[3]) });
  }
  if (matcherRe.lastIndex < body.trim().length || matchers.length === 0) {
    throw new Error('parse error: bad stream selector');
  }
  const filters: LineFilter[] = [];
  const rest = query.slice(selector[0].length);
  const filterRe = /\s*(\|=|!=)\s*"((?:[^"\\]|\\.)*)"/y;
  while (filterRe.lastIndex < rest.length && (m = filterRe.exec(rest))) {
    filters.push({ op: m[1] as LineFilter['op'], text: unescape(m[2]) });
  }
  if (rest.slice(filterRe.lastIndex).trim()) throw new Error('parse error: unsupported pipeline');
  return { matchers, filters };
}

const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

function matches(entry: LokiEntry, q: ReturnType<typeof parseLogQL>): boolean {
  for (const { label, op, value } of q.matchers) {
    const actual = entry.labels[label] ?? '';
    const ok =
      op === '='
        ? actual === value
        : op === '!='
          ? actual !== value
          : new RegExp(`^(?:${value})$`).test(actual) === (op === '=~');
    if (!ok) return false;
  }
  return q.filters.every((f) => entry.line.includes(f.text) === (f.op === '|='));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

export async function startStandInLoki(): Promise<StandInLoki> {
  const state = {
    entries: [] as LokiEntry[],
    pushes: 0,
    refused: 0,
    down: false,
    pushStatus: null as number | null,
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://loki');
      if (state.down) {
        if (url.pathname === '/loki/api/v1/push') state.refused++;
        await readBody(req);
        return send(res, 503, 'Ingester not ready');
      }
      if (req.method === 'GET' && url.pathname === '/ready') return send(res, 200, 'ready');
      if (state.pushStatus !== null && url.pathname === '/loki/api/v1/push') {
        state.refused++;
        await readBody(req);
        return send(res, state.pushStatus, `push refused with ${state.pushStatus}`);
      }
      if (req.method === 'POST' && url.pathname === '/loki/api/v1/push') {
        let streams: { stream: Record<string, string>; values: [string, string][] }[];
        try {
          const body = JSON.parse(await readBody(req)) as { streams?: unknown };
          if (!Array.isArray(body.streams)) throw new Error('no streams');
          streams = body.streams as typeof streams;
          for (const s of streams) {
            if (!s.stream || typeof s.stream !== 'object' || !Array.isArray(s.values))
              throw new Error('bad stream');
            for (const v of s.values) {
              if (!Array.isArray(v) || !/^\d+$/.test(v[0]) || typeof v[1] !== 'string')
                throw new Error('bad entry');
            }
          }
        } catch (err) {
          return send(res, 400, `error parsing push request: ${(err as Error).message}`);
        }
        for (const s of streams) {
          for (const [ns, line] of s.values)
            state.entries.push({ labels: { ...s.stream }, ns: BigInt(ns), line });
        }
        state.pushes++;
        return send(res, 204);
      }
      if (req.method === 'GET' && url.pathname === '/loki/api/v1/query_range') {
        let q: ReturnType<typeof parseLogQL>;
        try {
          q = parseLogQL(url.searchParams.get('query') ?? '');
        } catch (err) {
          return send(res, 400, (err as Error).message);
        }
        const nowNs = BigInt(Date.now()) * 1_000_000n;
        const end = BigInt(url.searchParams.get('end') ?? nowNs);
        const start = BigInt(url.searchParams.get('start') ?? end - 3_600_000_000_000n);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const backward = (url.searchParams.get('direction') ?? 'backward') === 'backward';
        const found = state.entries
          .filter((e) => e.ns >= start && e.ns < end && matches(e, q))
          .sort((a, b) => (a.ns === b.ns ? 0 : a.ns < b.ns === backward ? 1 : -1))
          .slice(0, limit);
        const streams = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
        for (const e of found) {
          const key = JSON.stringify(Object.entries(e.labels).sort());
          let s = streams.get(key);
          if (!s) streams.set(key, (s = { stream: e.labels, values: [] }));
          s.values.push([String(e.ns), e.line]);
        }
        return send(res, 200, {
          status: 'success',
          data: { resultType: 'streams', result: [...streams.values()], stats: {} },
        });
      }
      return send(res, 404, '404 page not found');
    })().catch(() => send(res, 500, 'internal error'));
  });
  return Object.assign(state, await listenLocally(server));
}
