// Upgrading a database that holds chunks to the migration that keeps how their text writes its words
// (Migration20261205100000_written_case): the counts of what is already stored, the chunks filled once
// afterwards, and the migration taken back down and up again with its counts still exact.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '@sting/kit';
import { subgraph } from '../src/index.ts';
import { fillWrittenCase } from '../src/domain/search/written-case.ts';

const BEFORE = 'Migration20261204120000_short_pending_lists';
const schema = `knowledge_upgrade_${randomBytes(5).toString('hex')}`;
const jar = randomUUID();
let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({
    clientUrl: process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_test',
    schema,
    entities: subgraph.entities,
    migrationsPath: subgraph.migrationsPath,
    poolMax: 2,
  });
  await orm.migrator.up({ to: BEFORE });
});
afterAll(async () => {
  await orm.schema.execute(`drop schema if exists "${schema}" cascade`);
  await orm.close(true);
});

const sql = <T extends object>(text: string, params: unknown[] = []) =>
  orm.em.fork().getConnection().execute<T[]>(text, params);

/** Stores chunks as the version before the migration did (no case columns). */
const storeChunks = (texts: string[], documentId = randomUUID()) =>
  sql(
    `insert into "${schema}"."chunk" (id, honey_jar_id, document_id, document_title, ordinal, text, created_at)
     select gen_random_uuid(), ?, ?, 'Partners', t.n - 1, t.text, now() from unnest(?::text[]) with ordinality t(text, n)`,
    [jar, documentId, `{${texts.map((text) => JSON.stringify(text)).join(',')}}`],
  );

type Counts = { lexeme: string; chunks: number; written: number; capitalised: number; named: number };
const counts = async (lexeme: string) =>
  (
    await sql<Counts>(
      `select lexeme, chunks, written, capitalised, named from "${schema}"."chunk_lexeme"
       where honey_jar_id = ? and lexeme = ?`,
      [jar, lexeme],
    )
  )[0];

describe('upgrading to the written case', () => {
  it('counts what stored chunks already say, fills their case once, and goes down and up again', async () => {
    await storeChunks([
      'Payments to Velmora go out on Fridays.',
      'We ship Velmora crates.',
      'partners meet.',
    ]);
    await orm.migrator.up();
    // Their text's words are counted by the migration; their case waits for the fill.
    expect(await counts('velmora')).toEqual({
      lexeme: 'velmora',
      chunks: 2,
      written: 2,
      capitalised: 0,
      named: 0,
    });
    // "partner": in every chunk's title, in one chunk's text.
    expect(await counts('partner')).toMatchObject({ chunks: 3, written: 1 });
    expect(await counts('')).toMatchObject({ chunks: 3, written: 3 });
    // The vocabulary starts with every word stored chunks hold.
    expect(await sql(`select lexeme from "${schema}"."lexeme_vocabulary" order by lexeme`)).toEqual(
      ['friday', 'go', 'meet', 'partner', 'payment', 'ship', 'crate', 'velmora']
        .sort()
        .map((lexeme) => ({ lexeme })),
    );
    const unread = await sql<{ n: number }>(
      `select count(*)::int as n from "${schema}"."chunk" where capitalised_words is null`,
    );
    expect(unread[0].n).toBe(3);

    expect(await fillWrittenCase(() => orm.em.fork(), 2)).toBe(3);
    expect(await counts('velmora')).toEqual({
      lexeme: 'velmora',
      chunks: 2,
      written: 2,
      capitalised: 2,
      named: 2,
    });
    expect(await counts('partner')).toMatchObject({ chunks: 3, written: 1, capitalised: 0, named: 0 });
    const rows = await sql<{ capitalised_words: string; named_words: string }>(
      `select capitalised_words, named_words from "${schema}"."chunk" order by ordinal`,
    );
    expect(rows).toEqual([
      { capitalised_words: 'Payments Velmora Fridays', named_words: 'Velmora Fridays' },
      { capitalised_words: 'We Velmora', named_words: 'Velmora' },
      { capitalised_words: '', named_words: '' },
    ]);

    // Down: the columns go, and chunks are counted as before; up again: counted with their case from then on.
    await orm.migrator.down({ to: BEFORE }); // the written case and every later one
    await storeChunks(['Velmora again.']);
    expect(await sql(`select chunks from "${schema}"."chunk_lexeme" where lexeme = 'velmora'`)).toEqual([
      { chunks: 3 },
    ]);
    await orm.migrator.up();
    expect(await counts('velmora')).toMatchObject({ chunks: 3, written: 3, capitalised: 0 });
    expect(await fillWrittenCase(() => orm.em.fork())).toBe(4);
    expect(await counts('velmora')).toEqual({
      lexeme: 'velmora',
      chunks: 3,
      written: 3,
      capitalised: 3,
      named: 2,
    });
  });
});
