// Counts the SQL statements an operation sends, by observing the ORM connection (the real query still runs).
import type { MikroORM } from '@mikro-orm/postgresql';

export async function countQueries<T>(
  orm: MikroORM,
  run: () => Promise<T>,
): Promise<{ result: T; queries: string[] }> {
  const connection = orm.em.getConnection();
  const original = connection.execute;
  const queries: string[] = [];
  connection.execute = function (this: typeof connection, ...args: Parameters<typeof original>) {
    queries.push(String(args[0]));
    return original.apply(this, args);
  } as typeof original;
  try {
    return { result: await run(), queries };
  } finally {
    connection.execute = original;
  }
}
