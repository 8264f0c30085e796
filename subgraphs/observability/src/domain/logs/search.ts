// Searching the platform's logs (administrators only): from the embedded store, or, when Loki is configured,
// from Loki with the same filter translated to LogQL (loki-search.ts). Newest first, cursor paging.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, pageSize, type Viewer } from '@sting/kit';
import { authorize } from '../policies.ts';
import { decodeLogCursor, encodeLogCursor } from './cursor.ts';
import { searchLoki } from './loki-search.ts';
import { logTables } from './tables.ts';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOGS_PAGE_MAX = 500;

/** A record's level as the schema names it; anything unexpected (a numeric pino level) reads as INFO. */
export function levelOf(label: string): LogLevel {
  const upper = label.toUpperCase() as LogLevel;
  return LOG_LEVELS.includes(upper) ? upper : 'INFO';
}
export const LOG_TEXT_MAX = 200;

export interface LogFilterInput {
  service?: string | null;
  level?: LogLevel | null;
  since?: Date | null;
  until?: Date | null;
  text?: string | null;
}

export interface LogSearch {
  service: string | null;
  /** pino's label, lower case. */
  level: string | null;
  since: Date | null;
  until: Date | null;
  text: string | null;
  first: number;
  after: string | null;
}

export interface LogRecordView {
  id: string;
  at: Date;
  service: string;
  level: LogLevel;
  message: string;
  /** The whole filtered record as JSON text. */
  record: string;
}

export interface LogConnection {
  nodes: LogRecordView[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function logSearchInput(args: {
  filter?: LogFilterInput | null;
  first?: number | null;
  after?: string | null;
}): LogSearch {
  const f = args.filter ?? {};
  const first = pageSize(args.first, { default: 50, max: LOGS_PAGE_MAX });
  if (f.level && !LOG_LEVELS.includes(f.level)) throw new BadUserInputError('Unknown level', 'level');
  if (f.since && f.until && f.since >= f.until)
    throw new BadUserInputError('since must be before until', 'since');
  const service = f.service?.trim() || null;
  if (service && (service.length > 100 || !/^[\w.-]+$/.test(service))) {
    throw new BadUserInputError('Not a service name', 'service');
  }
  const text = f.text ?? null;
  if (text !== null && (text.length === 0 || [...text].length > LOG_TEXT_MAX)) {
    throw new BadUserInputError(`text must be 1 to ${LOG_TEXT_MAX} characters`, 'text');
  }
  return {
    service,
    level: f.level ? f.level.toLowerCase() : null,
    since: f.since ?? null,
    until: f.until ?? null,
    text,
    first,
    after: args.after ?? null,
  };
}

export interface LogSearchScope {
  viewer: Viewer | null;
  em: EntityManager;
  /** observability.loki.url; empty: the embedded store. */
  lokiUrl: string;
  topology: string;
}

export async function searchLogs(scope: LogSearchScope, search: LogSearch): Promise<LogConnection> {
  authorize(scope.viewer, 'readLogs');
  return scope.lokiUrl ? searchLoki(scope.lokiUrl, scope.topology, search) : searchStore(scope.em, search);
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

async function searchStore(em: EntityManager, search: LogSearch): Promise<LogConnection> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (search.service) add('service = ?', search.service);
  if (search.level) add('level = ?', search.level);
  if (search.since) add('at >= ?', search.since);
  if (search.until) add('at < ?', search.until);
  // The whole line, as shipped: a match anywhere in the record (its message, a field, an error's text).
  if (search.text) add('record::text ilike ?', likePattern(search.text));
  if (search.after) {
    const cursor = decodeLogCursor(search.after, 'store');
    if (cursor.kind === 'store') add('(at, id) < (?, ?)', cursor.at, cursor.id);
  }
  const rows = await em.execute<
    { id: string; at: Date; service: string; level: string; msg: string; record: unknown }[]
  >(
    `select id, at, service, level, msg, record from ${logTables(em).records}
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by at desc, id desc limit ?`,
    [...params, search.first + 1],
  );
  const page = rows.slice(0, search.first);
  const nodes = page.map((r) => ({
    id: String(r.id),
    at: new Date(r.at),
    service: r.service,
    level: levelOf(r.level),
    message: r.msg,
    record: typeof r.record === 'string' ? r.record : JSON.stringify(r.record),
  }));
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > search.first,
      endCursor: last ? encodeLogCursor({ kind: 'store', at: last.at, id: last.id }) : null,
    },
  };
}
