// How each chunk's text writes its words, and, per jar and lexeme, how many chunks write it with a capital or as
// a name (src/domain/search/written-case.ts tells why). `chunk` gains the words its text writes only with a
// capital and those of them written so within a sentence (null until read: chunks stored before this are filled by
// fillWrittenCase when the job workers start); `chunk_lexeme` gains, beside `chunks`, the chunks whose text holds
// the lexeme (`written`, weight C of the search vector), those writing it only with a capital (`capitalised`) and
// those naming it (`named`), kept by the same statement triggers, and the lexeme index covers them all.
import { Migration } from '@mikro-orm/migrations';

/** chunk_lexeme_count as Migration20261201190000_jar_chunk_totals left it. */
const COUNT_BEFORE = `create function "chunk_lexeme_count"(delta integer, jar uuid[], vectors tsvector[]) returns void language sql set search_path from current as $$
  insert into chunk_lexeme (honey_jar_id, lexeme, chunks)
    select v.jar, l.lexeme, delta * count(*)::int
    from unnest(jar, vectors) as v(jar, vector)
    cross join lateral (select u.lexeme from unnest(v.vector) u union all select '') l
    group by 1, 2 order by 1, 2
  on conflict (honey_jar_id, lexeme) do update set chunks = chunk_lexeme.chunks + excluded.chunks;
  delete from chunk_lexeme where delta < 0 and chunks <= 0 and honey_jar_id = any(jar);
$$`;

// A row per lexeme of each chunk's search vector (whether its text holds it: weight C), per lexeme of its words
// written only with a capital and of its names (what to_tsvector makes of them alone), and the empty lexeme per
// chunk; summed per jar and lexeme, lexemes of no search vector left out. Looking each lexeme of a chunk up in the
// arrays of its capitalised words instead made writing 500 chunks 50% slower; this way it costs what counting
// the chunks alone did (about 210 ms for 500 in either).
export const COUNT = `create function "chunk_lexeme_count"(delta integer, jar uuid[], vectors tsvector[], capitalised_words text[], named_words text[]) returns void language sql set search_path from current as $$
  insert into chunk_lexeme (honey_jar_id, lexeme, chunks, written, capitalised, named)
    select r.jar, r.lexeme, delta * sum(r.chunks)::int, delta * sum(r.written)::int,
      delta * sum(r.capitalised)::int, delta * sum(r.named)::int
    from (
      select v.jar, u.lexeme, 1 as chunks, ('C' = any(u.weights))::int as written, 0 as capitalised, 0 as named
        from unnest(jar, vectors) as v(jar, vector), unnest(v.vector) u
      union all
      select v.jar, w.lexeme, 0, 0, 1, 0
        from unnest(jar, capitalised_words) as v(jar, words), unnest(to_tsvector('english', coalesce(v.words, ''))) w
      union all
      select v.jar, w.lexeme, 0, 0, 0, 1
        from unnest(jar, named_words) as v(jar, words), unnest(to_tsvector('english', coalesce(v.words, ''))) w
      union all
      select j, '', 1, 1, 0, 0 from unnest(jar) j
    ) r
    group by 1, 2 having sum(r.chunks) > 0 order by 1, 2
  on conflict (honey_jar_id, lexeme) do update set chunks = chunk_lexeme.chunks + excluded.chunks,
    written = chunk_lexeme.written + excluded.written, capitalised = chunk_lexeme.capitalised + excluded.capitalised,
    named = chunk_lexeme.named + excluded.named;
  delete from chunk_lexeme where delta < 0 and chunks <= 0 and honey_jar_id = any(jar);
$$`;

const ROWS = (table: string, withCase: boolean) =>
  `array(select honey_jar_id from ${table}), array(select search_vector from ${table})` +
  (withCase
    ? `, array(select capitalised_words from ${table}), array(select named_words from ${table})`
    : '');

const TRIGGER_FUNCTIONS = (withCase: boolean) => [
  `create or replace function "chunk_lexeme_inserted"() returns trigger language plpgsql set search_path from current as $$
   begin
     perform chunk_lexeme_count(1, ${ROWS('new_rows', withCase)});
     return null;
   end $$`,
  `create or replace function "chunk_lexeme_deleted"() returns trigger language plpgsql set search_path from current as $$
   begin
     perform chunk_lexeme_count(-1, ${ROWS('old_rows', withCase)});
     return null;
   end $$`,
  `create or replace function "chunk_lexeme_updated"() returns trigger language plpgsql set search_path from current as $$
   begin
     perform chunk_lexeme_count(-1, ${ROWS('old_rows', withCase)});
     perform chunk_lexeme_count(1, ${ROWS('new_rows', withCase)});
     return null;
   end $$`,
];

export class Migration20261205100000_written_case extends Migration {
  override up(): void {
    this.addSql(
      `alter table "chunk" add column "capitalised_words" text null, add column "named_words" text null`,
    );
    this.addSql(
      `alter table "chunk_lexeme" add column "written" integer not null default 0,
         add column "capitalised" integer not null default 0, add column "named" integer not null default 0`,
    );
    this.addSql(COUNT);
    for (const sql of TRIGGER_FUNCTIONS(true)) this.addSql(sql);
    this.addSql(`drop function "chunk_lexeme_count"(integer, uuid[], tsvector[])`);
    // What the chunks already stored say: their text's lexemes (the case is counted as fillWrittenCase reads it).
    this.addSql(
      `update "chunk_lexeme" s set written = x.written from (
         select c.honey_jar_id, l.lexeme, count(*)::int as written from "chunk" c, unnest(c.search_vector) l
         where 'C' = any(l.weights) group by 1, 2
         union all select c.honey_jar_id, '', count(*)::int from "chunk" c group by 1
       ) x where s.honey_jar_id = x.honey_jar_id and s.lexeme = x.lexeme`,
    );
    this.addSql(`drop index "chunk_lexeme_lexeme_index"`);
    this.addSql(
      `create index "chunk_lexeme_lexeme_index" on "chunk_lexeme" ("lexeme", "honey_jar_id")
         include ("chunks", "written", "capitalised", "named")`,
    );
  }

  override down(): void {
    this.addSql(`drop index "chunk_lexeme_lexeme_index"`);
    this.addSql(
      `create index "chunk_lexeme_lexeme_index" on "chunk_lexeme" ("lexeme", "honey_jar_id") include ("chunks")`,
    );
    this.addSql(COUNT_BEFORE);
    for (const sql of TRIGGER_FUNCTIONS(false)) this.addSql(sql);
    this.addSql(`drop function "chunk_lexeme_count"(integer, uuid[], tsvector[], text[], text[])`);
    this.addSql(
      `alter table "chunk_lexeme" drop column "written", drop column "capitalised", drop column "named"`,
    );
    this.addSql(`alter table "chunk" drop column "capitalised_words", drop column "named_words"`);
  }
}
