// The log search answered by Loki: the filter becomes LogQL (label matchers for service and level, within this
// platform's topology, plus a line filter for the text) run by /loki/api/v1/query_range, backward from the cursor.
import { createHash } from 'node:crypto';
import { ServiceUnavailableError } from '@sting/kit';
import { decodeLogCursor, encodeLogCursor } from './cursor.ts';
import { levelOf, type LogConnection, type LogRecordView, type LogSearch } from './search.ts';

/** A LogQL string literal: backslashes and double quotes escaped. */
const quote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function logqlFor(search: Pick<LogSearch, 'service' | 'level' | 'text'>, topology: string): string {
  const matchers = [`topology=${quote(topology)}`];
  if (search.service) matchers.push(`service=${quote(search.service)}`);
  if (search.level) matchers.push(`level=${quote(search.level)}`);
  return `{${matchers.join(',')}}${search.text ? ` |= ${quote(search.text)}` : ''}`;
}

const toNs = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;
/** How far back a search without `since` looks. */
const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

interface QueryRangeResponse {
  status: string;
  data?: { resultType: string; result: { stream: Record<string, string>; values: [string, string][] }[] };
}

export async function searchLoki(
  baseUrl: string,
  topology: string,
  search: LogSearch,
): Promise<LogConnection> {
  const cursor = search.after ? decodeLogCursor(search.after, 'loki') : null;
  const now = new Date();
  const until = search.until ?? now;
  const since = search.since ?? new Date(until.getTime() - DEFAULT_LOOKBACK_MS);
  // end is exclusive: from the cursor, ask up to and including its instant and skip what was already returned.
  const end = cursor && cursor.kind === 'loki' ? `${BigInt(cursor.ns) + 1n}` : toNs(until);
  const skip = cursor && cursor.kind === 'loki' ? cursor.skip : 0;
  const url = new URL('/loki/api/v1/query_range', baseUrl);
  url.searchParams.set('query', logqlFor(search, topology));
  url.searchParams.set('start', toNs(since));
  url.searchParams.set('end', end);
  url.searchParams.set('limit', String(search.first + skip + 1));
  url.searchParams.set('direction', 'backward');
  let body: QueryRangeResponse;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`Loki answered ${response.status}`);
    body = (await response.json()) as QueryRangeResponse;
  } catch (err) {
    throw new ServiceUnavailableError(`The log search is unavailable: ${(err as Error).message}`);
  }
  const entries = (body.data?.result ?? [])
    .flatMap((s) => s.values.map(([ns, line]) => ({ ns, line, labels: s.stream })))
    .sort((a, b) =>
      BigInt(b.ns) > BigInt(a.ns) ? 1 : BigInt(b.ns) < BigInt(a.ns) ? -1 : a.line.localeCompare(b.line),
    );
  const fresh = cursor && cursor.kind === 'loki' ? dropSeen(entries, cursor.ns, skip) : entries;
  const page = fresh.slice(0, search.first);
  const nodes = page.map((e) => view(e.ns, e.line, e.labels));
  const last = page.at(-1);
  let endCursor: string | null = null;
  if (last) {
    const atLast = page.filter((e) => e.ns === last.ns).length;
    const carried = cursor && cursor.kind === 'loki' && cursor.ns === last.ns ? skip : 0;
    endCursor = encodeLogCursor({ kind: 'loki', ns: last.ns, skip: atLast + carried });
  }
  return { nodes, pageInfo: { hasNextPage: fresh.length > search.first, endCursor } };
}

/** Drops the first `skip` entries at the cursor's instant (returned on an earlier page). */
function dropSeen<T extends { ns: string }>(entries: T[], ns: string, skip: number): T[] {
  let seen = 0;
  return entries.filter((e) => !(e.ns === ns && seen++ < skip));
}

function view(ns: string, line: string, labels: Record<string, string>): LogRecordView {
  let message = '';
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    if (typeof parsed.msg === 'string') message = parsed.msg;
  } catch {
    message = line;
  }
  return {
    id: `${ns}-${createHash('sha256').update(line).digest('hex').slice(0, 12)}`,
    at: new Date(Number(BigInt(ns) / 1_000_000n)),
    service: labels.service ?? 'unknown',
    level: levelOf(labels.level ?? 'info'),
    message,
    record: line,
  };
}
