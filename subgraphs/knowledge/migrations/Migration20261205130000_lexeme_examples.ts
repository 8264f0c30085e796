// A chunk holding each lexeme, per jar: `chunk_lexeme.example`, the last chunk written with it, kept by the same
// statement triggers as the counts. Search reads how the jars write a corrected word from a passage
// (src/domain/search/keyword.ts, wordsAsWritten); through the example that is one chunk read by its key, where
// finding a chunk holding the word in the jars read an index (passages_holding: p50 2.3-2.9 ms over 100 jars, up to
// 12-15 ms). A deleted example is not replaced until a chunk with the lexeme is written again; search then finds one
// as before. Rows written before this have none either, until then.
import { Migration } from '@mikro-orm/migrations';
// chunk_lexeme_count as that migration left it (only its string is exported: the migrator takes a file's first
// exported function for its migration).
import { COUNT as COUNT_BEFORE } from './Migration20261205100000_written_case.ts';

/** The row of each group of a transition table's chunks, as the trigger functions pass them. */
const ROWS = (table: string, withIds: boolean) =>
  `array(select honey_jar_id from ${table}),` +
  (withIds ? ` array(select id from ${table}),` : '') +
  ` array(select search_vector from ${table}), array(select capitalised_words from ${table}),` +
  ` array(select named_words from ${table})`;

const TRIGGER_FUNCTIONS = (withIds: boolean) => [
  `create or replace function "chunk_lexeme_inserted"() returns trigger language plpgsql set search_path from current as $$
   begin
     perform chunk_lexeme_count(1, ${ROWS('new_rows', withIds)});
     return null;
   end $$`,
  `create or replace function "chunk_lexeme_deleted"() returns trigger language plpgsql set search_path from current as $$
   begin
     perform chunk_lexeme_count(-1, ${ROWS('old_rows', withIds)});
     return null;
   end $$`,
  `create or replace function "chunk_lexeme_updated"() returns trigger language plpgsql set search_path from current as $$
   begin
     perform chunk_lexeme_count(-1, ${ROWS('old_rows', withIds)});
     perform chunk_lexeme_count(1, ${ROWS('new_rows', withIds)});
     return null;
   end $$`,
];

/**
 * As Migration20261205100000_written_case counts, with each lexeme's example: a chunk written with it (of a
 * statement's chunks, any), which a later one replaces; removing chunks leaves it.
 */
const COUNT = `create function "chunk_lexeme_count"(delta integer, jar uuid[], ids uuid[], vectors tsvector[], capitalised_words text[], named_words text[]) returns void language sql set search_path from current as $$
  insert into chunk_lexeme (honey_jar_id, lexeme, chunks, written, capitalised, named, example)
    select r.jar, r.lexeme, delta * sum(r.chunks)::int, delta * sum(r.written)::int,
      delta * sum(r.capitalised)::int, delta * sum(r.named)::int, any_value(r.id)
    from (
      select v.jar, u.lexeme, 1 as chunks, ('C' = any(u.weights))::int as written, 0 as capitalised, 0 as named,
          case when delta > 0 then v.id end as id
        from unnest(jar, ids, vectors) as v(jar, id, vector), unnest(v.vector) u
      union all
      select v.jar, w.lexeme, 0, 0, 1, 0, null
        from unnest(jar, capitalised_words) as v(jar, words), unnest(to_tsvector('english', coalesce(v.words, ''))) w
      union all
      select v.jar, w.lexeme, 0, 0, 0, 1, null
        from unnest(jar, named_words) as v(jar, words), unnest(to_tsvector('english', coalesce(v.words, ''))) w
      union all
      select j, '', 1, 1, 0, 0, null from unnest(jar) j
    ) r
    group by 1, 2 having sum(r.chunks) > 0 order by 1, 2
  on conflict (honey_jar_id, lexeme) do update set chunks = chunk_lexeme.chunks + excluded.chunks,
    written = chunk_lexeme.written + excluded.written, capitalised = chunk_lexeme.capitalised + excluded.capitalised,
    named = chunk_lexeme.named + excluded.named, example = coalesce(excluded.example, chunk_lexeme.example);
  delete from chunk_lexeme where delta < 0 and chunks <= 0 and honey_jar_id = any(jar);
$$`;

export class Migration20261205130000_lexeme_examples extends Migration {
  override up(): void {
    this.addSql(`alter table "chunk_lexeme" add column "example" uuid null`);
    this.addSql(COUNT);
    for (const sql of TRIGGER_FUNCTIONS(true)) this.addSql(sql);
    this.addSql(`drop function "chunk_lexeme_count"(integer, uuid[], tsvector[], text[], text[])`);
  }

  override down(): void {
    this.addSql(COUNT_BEFORE);
    for (const sql of TRIGGER_FUNCTIONS(false)) this.addSql(sql);
    this.addSql(`drop function "chunk_lexeme_count"(integer, uuid[], uuid[], tsvector[], text[], text[])`);
    this.addSql(`alter table "chunk_lexeme" drop column "example"`);
  }
}
