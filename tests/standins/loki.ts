// A stand-in Loki following its published HTTP API, enough for the platform's shipping and searching:
// - POST /loki/api/v1/push in either of its forms, answering 204 (400 for a malformed body):
//   - `application/x-protobuf`: a snappy block (any mix of literals and copies) of a logproto PushRequest
//     (streams: labels as `{name="value", …}`, entries: a google.protobuf.Timestamp and the line);
//   - `application/json`: `{ streams: [{ stream: {label: value}, values: [[ns, line], …] }] }`;
// - GET /ready: 200 `ready` (503 while `down`);
// - GET /loki/api/v1/query_range?query=&start=&end=&limit=&direction= with a LogQL subset: a stream selector of
//   `=` / `!=` / `=~` label matchers and any number of `|= "text"` / `!= "text"` line filters; start inclusive,
//   end exclusive (nanoseconds), answering `{ status: 'success', data: { resultType: 'streams', result } }`.
// Tests make it fail (`down`: 503 to everything; `pushStatus`: that status to every push) and read what was pushed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './listen.ts';
import { fieldsOf, messages, stringField, varintField } from './protobuf-wire.ts';

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
  /** The User-Agent of the last push accepted (null before any). */
  userAgent: string | null;
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A snappy block (github.com/google/snappy format_description.txt) uncompressed: the length as a varint, then
 * literals (tag type 0, the length in the tag or in 1-4 bytes after it) and copies of earlier output (types 1-3,
 * with 1-, 2- and 4-byte offsets).
 */
export function unsnappy(block: Buffer): Buffer {
  let at = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= block.length || shift > 28) throw new Error('snappy: bad length');
    const byte = block[at++];
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  const out = Buffer.alloc(length);
  let o = 0;
  while (at < block.length) {
    const tag = block[at++];
    const type = tag & 3;
    if (type === 0) {
      let n = tag >> 2;
      if (n >= 60) {
        const k = n - 59;
        if (at + k > block.length) throw new Error('snappy: truncated literal length');
        n = block.readUIntLE(at, k);
        at += k;
      }
      n += 1;
      if (at + n > block.length || o + n > length) throw new Error('snappy: literal past the end');
      block.copy(out, o, at, at + n);
      at += n;
      o += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (type === 1) {
      if (at + 1 > block.length) throw new Error('snappy: truncated copy');
      n = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | block[at++];
    } else {
      const k = type === 2 ? 2 : 4;
      if (at + k > block.length) throw new Error('snappy: truncated copy');
      n = (tag >> 2) + 1;
      offset = block.readUIntLE(at, k);
      at += k;
    }
    if (offset === 0 || offset > o || o + n > length) throw new Error('snappy: bad copy');
    for (let i = 0; i < n; i++, o++) out[o] = out[o - offset];
  }
  if (o !== length) throw new Error('snappy: shorter than its length');
  return out;
}

type PushedStream = { stream: Record<string, string>; values: [string, string][] };

/** A stream's labels, `{name="value", …}` (values in Go's string quoting). */
function labelsOf(text: string): Record<string, string> {
  const inner = /^\{(.*)\}$/s.exec(text.trim());
  if (!inner) throw new Error(`labels: expected {…}, got ${text}`);
  const labels: Record<string, string> = {};
  const pair = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  while (pair.lastIndex < inner[1].length && (m = pair.exec(inner[1])))
    labels[m[1]] = JSON.parse(`"${m[2]}"`) as string;
  if (pair.lastIndex !== inner[1].length && inner[1].trim() !== '')
    throw new Error(`labels: cannot read ${text}`);
  return labels;
}

/** A protobuf push body (snappy-framed PushRequest) as the JSON form's streams. */
export function decodePushRequest(body: Buffer): PushedStream[] {
  return messages(fieldsOf(unsnappy(body)), 1).map((stream) => ({
    stream: labelsOf(stringField(stream, 1)),
    values: messages(stream, 2).map((entry): [string, string] => {
      const time = messages(entry, 1)[0] ?? new Map();
      return [String(varintField(time, 1) * 1_000_000_000n + varintField(time, 2)), stringField(entry, 2)];
    }),
  }));
}

/** A JSON push body's streams, checked. */
function jsonStreams(body: Buffer): PushedStream[] {
  const parsed = JSON.parse(body.toString('utf8')) as { streams?: unknown };
  if (!Array.isArray(parsed.streams)) throw new Error('no streams');
  const streams = parsed.streams as PushedStream[];
  for (const s of streams) {
    if (!s.stream || typeof s.stream !== 'object' || !Array.isArray(s.values)) throw new Error('bad stream');
    for (const v of s.values) {
      if (!Array.isArray(v) || !/^\d+$/.test(v[0]) || typeof v[1] !== 'string') throw new Error('bad entry');
    }
  }
  return streams;
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

export interface StandInLokiOptions {
  /**
   * False: a push is answered 204 once its body has arrived, its entries neither read nor kept (a benchmark's Loki,
   * whose own decoding, in JavaScript and far slower than Loki's, would compete with what is measured).
   */
  readPushes?: boolean;
}

export async function startStandInLoki(options: StandInLokiOptions = {}): Promise<StandInLoki> {
  const readPushes = options.readPushes ?? true;
  const state = {
    entries: [] as LokiEntry[],
    pushes: 0,
    refused: 0,
    userAgent: null as string | null,
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
        let streams: PushedStream[];
        try {
          const body = await readBody(req);
          const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
          if (!readPushes) streams = [];
          else if (type === 'application/x-protobuf') streams = decodePushRequest(body);
          else if (type === 'application/json') streams = jsonStreams(body);
          else return send(res, 415, `unsupported content type ${type}`);
        } catch (err) {
          return send(res, 400, `error parsing push request: ${(err as Error).message}`);
        }
        for (const s of streams) {
          for (const [ns, line] of s.values)
            state.entries.push({ labels: { ...s.stream }, ns: BigInt(ns), line });
        }
        state.pushes++;
        state.userAgent = req.headers['user-agent'] ?? null;
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
