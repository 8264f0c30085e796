// A span per PostgreSQL query made inside a trace. @opentelemetry/instrumentation-pg patches `pg` through
// require hooks that an ESM process does not run for the copies MikroORM loads, so the same patch is applied
// here directly to every `pg` copy the platform uses (its own and MikroORM's), and taken off when tracing stops.
import { createRequire } from 'node:module';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { sqlWithoutValues } from './sql-text.ts';
import { inRecordedTrace, markFailed, startSpan } from './tracing.ts';

type Query = (this: unknown, ...args: unknown[]) => unknown;
interface PgModule {
  Client: { prototype: { query: Query } };
}

function pgCopies(): PgModule[] {
  const copies = new Set<PgModule>();
  for (const from of [import.meta.url, resolveFrom('@mikro-orm/postgresql')]) {
    if (!from) continue;
    try {
      copies.add(createRequire(from)('pg') as PgModule);
    } catch {
      // that package is not installed here: nothing of it to trace
    }
  }
  return [...copies];
}

function resolveFrom(specifier: string): string | undefined {
  try {
    return import.meta.resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * The statement's first keyword (`select`, `insert`, …) in lower case: statements travel with their parameters
 * apart. Read character by character, as this runs for every query of a traced request.
 */
export function operationOf(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 32) start++;
  let end = start;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end) | 32; // ASCII letters in lower case
    if (c < 97 || c > 122) break;
  }
  return end > start ? text.slice(start, end).toLowerCase() : 'query';
}

/** What a span shows of a statement: its first keyword and its text without values. */
interface Statement {
  operation: string;
  text: string;
}

/** Statements seen and what spans show of them: the ORM sends the same few statements over and over. */
const statements = new Map<string, Statement>();
const STATEMENTS_MAX = 512;
/** Longer statements are worked out each time rather than kept. */
const STATEMENT_TEXT_MAX = 4096;

/** What a span shows of a statement: its text without values (sql-text.ts), at most 500 characters of it. */
export function queryText(text: string): string {
  return statementOf(text).text;
}

function statementOf(sql: string): Statement {
  const known = statements.get(sql);
  if (known !== undefined) return known;
  const shape = sqlWithoutValues(sql);
  const statement = {
    operation: operationOf(sql),
    text: shape.length > 500 ? `${shape.slice(0, 500)}…` : shape,
  };
  if (sql.length <= STATEMENT_TEXT_MAX) {
    if (statements.size >= STATEMENTS_MAX) statements.clear();
    statements.set(sql, statement);
  }
  return statement;
}

function traced(original: Query): Query {
  return function (this: unknown, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text !== 'string' || !inRecordedTrace()) return original.apply(this, args);
    const statement = statementOf(text);
    const span = startSpan(`pg ${statement.operation}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': statement.operation,
        // The statement's shape only: values, in the text or as parameters, never reach the span.
        'db.query.text': statement.text,
      },
    });
    if (!span) return original.apply(this, args);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (err: unknown, ...rest: unknown[]) => unknown;
      args[last] = (err: unknown, ...rest: unknown[]) => {
        if (err) markFailed(span, err);
        span.end();
        return callback(err, ...rest);
      };
      return context.with(trace.setSpan(context.active(), span), () => original.apply(this, args));
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function')
      return (result as Promise<unknown>).then(
        (value) => {
          span.end();
          return value;
        },
        (err: unknown) => {
          markFailed(span, err);
          span.end();
          throw err;
        },
      );
    span.end();
    return result;
  };
}

/** Patches every pg copy; the returned function restores them. */
export async function instrumentPostgres(): Promise<() => void> {
  const restore: (() => void)[] = [];
  for (const pg of pgCopies()) {
    const prototype = pg.Client.prototype;
    const original = prototype.query;
    prototype.query = traced(original);
    restore.push(() => void (prototype.query = original));
  }
  return () => restore.forEach((undo) => undo());
}
