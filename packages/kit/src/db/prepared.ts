// Statements a hot path runs over and over with other values (search's), as named prepared statements: PostgreSQL
// parses and plans each once per pooled connection (a generic plan, once its first few custom plans show the
// values change nothing) instead of at every call. MikroORM writes every value into a statement's text, so each of
// its calls is a statement PostgreSQL has never seen: for search's query analysis, hits and readable jars, planning
// was 30-60% of their time (pg_stat_statements), and as prepared statements they took 0.98 against 1.67 ms, 1.02
// against 1.89 and 0.41 against 0.61 (100 runs each over 100 jars of 100k chunks).
// Only for statements whose texts are few (the values as parameters, never written in): each text is prepared on
// every connection that runs it and kept there for the connection's life. Inside a transaction the same numbered
// statement and values run on the transaction's connection (unnamed: a transaction's connection is any of the
// pool's), so a statement reads alike either way.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Transaction } from 'kysely';

interface Prepared {
  name: string;
  text: string;
}

/** What every prepared statement's name starts with. */
export const PREPARED_PREFIX = 'sting_';

/** Statements seen, by their text with `?` placeholders. */
const prepared = new Map<string, Prepared>();
/** More distinct texts than this means a caller writes values into them: the cache starts over rather than grow. */
const PREPARED_MAX = 256;

/**
 * `sql`'s `?` placeholders (MikroORM's) as `$1`, `$2`, …, those in quoted literals and identifiers left alone.
 * Exported for its test.
 */
export function numberedPlaceholders(sql: string): { text: string; count: number } {
  let text = '';
  let count = 0;
  let quote: string | null = null;
  for (const c of sql) {
    if (quote !== null) {
      if (c === quote) quote = null; // a doubled quote closes and opens again: the same
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '?') {
      text += `$${++count}`;
      continue;
    }
    text += c;
  }
  return { text, count };
}

function statementOf(sql: string, values: number): Prepared {
  let statement = prepared.get(sql);
  if (statement === undefined) {
    const { text, count } = numberedPlaceholders(sql);
    if (count !== values) throw new Error(`statement has ${count} placeholders for ${values} values`);
    // Named by its text's digest: a name stays bound to one text on every connection, whatever the cache forgot.
    statement = {
      name: `${PREPARED_PREFIX}${createHash('sha1').update(text).digest('hex').slice(0, 20)}`,
      text,
    };
    if (prepared.size >= PREPARED_MAX) prepared.clear();
    prepared.set(sql, statement);
  }
  return statement;
}

/** The rows of `sql` (`?` placeholders, as em.getConnection().execute takes) run as a named prepared statement. */
export async function preparedRows<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const { name, text } = statementOf(sql, params.length);
  if (em.isInTransaction()) {
    const transaction = em.getTransactionContext<Transaction<unknown>>()!;
    return (await transaction.executeQuery<T>(CompiledQuery.raw(text, [...params]))).rows;
  }
  const pool = await em.getConnection().getNativeClient();
  const result = await pool.query({ name, text, values: params as unknown[] });
  return result.rows as T[];
}
