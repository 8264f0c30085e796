// Keyword search's term statistics: for each honey jar and lexeme of its chunks' search vectors, how many chunks
// hold it (the document frequency that weighs a query word by its rarity). Counting matches in the GIN index at
// query time cost most of a search at 100k chunks (each lexeme's whole posting list read, e.g. 30 ms of 45); this
// table answers the same counts with a key lookup. Kept exact by statement triggers on `chunk` (its rows are
// inserted and deleted, never rewritten, but an update is counted too), with the changed rows' counts applied in
// lexeme order so concurrent ingestions into one jar never deadlock on them.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201100000_chunk_lexemes extends Migration {
  override up(): void {
    this.addSql(
      `create table "chunk_lexeme" ("honey_jar_id" uuid not null, "lexeme" text not null, "chunks" integer not null, primary key ("honey_jar_id", "lexeme"))`,
    );
    // The functions keep the schema they were made in, whatever the caller's search_path.
    this.addSql(
      `create function "chunk_lexeme_count"(delta integer, jar uuid[], vectors tsvector[]) returns void language sql set search_path from current as $$
        insert into chunk_lexeme (honey_jar_id, lexeme, chunks)
          select v.jar, l.lexeme, delta * count(*)::int
          from unnest(jar, vectors) as v(jar, vector), unnest(v.vector) as l
          group by 1, 2 order by 1, 2
        on conflict (honey_jar_id, lexeme) do update set chunks = chunk_lexeme.chunks + excluded.chunks;
        delete from chunk_lexeme where delta < 0 and chunks <= 0 and honey_jar_id = any(jar);
      $$`,
    );
    this.addSql(
      `create function "chunk_lexeme_inserted"() returns trigger language plpgsql set search_path from current as $$
       begin
         perform chunk_lexeme_count(1, array(select honey_jar_id from new_rows), array(select search_vector from new_rows));
         return null;
       end $$`,
    );
    this.addSql(
      `create function "chunk_lexeme_deleted"() returns trigger language plpgsql set search_path from current as $$
       begin
         perform chunk_lexeme_count(-1, array(select honey_jar_id from old_rows), array(select search_vector from old_rows));
         return null;
       end $$`,
    );
    this.addSql(
      `create function "chunk_lexeme_updated"() returns trigger language plpgsql set search_path from current as $$
       begin
         perform chunk_lexeme_count(-1, array(select honey_jar_id from old_rows), array(select search_vector from old_rows));
         perform chunk_lexeme_count(1, array(select honey_jar_id from new_rows), array(select search_vector from new_rows));
         return null;
       end $$`,
    );
    this.addSql(
      `create trigger "chunk_lexeme_on_insert" after insert on "chunk" referencing new table as new_rows for each statement execute function "chunk_lexeme_inserted"()`,
    );
    this.addSql(
      `create trigger "chunk_lexeme_on_delete" after delete on "chunk" referencing old table as old_rows for each statement execute function "chunk_lexeme_deleted"()`,
    );
    this.addSql(
      `create trigger "chunk_lexeme_on_update" after update on "chunk" referencing old table as old_rows new table as new_rows for each statement execute function "chunk_lexeme_updated"()`,
    );
    this.addSql(
      `insert into "chunk_lexeme" select c.honey_jar_id, l.lexeme, count(*) from "chunk" c, unnest(c.search_vector) l group by 1, 2`,
    );
  }

  override down(): void {
    this.addSql(`drop trigger if exists "chunk_lexeme_on_insert" on "chunk"`);
    this.addSql(`drop trigger if exists "chunk_lexeme_on_delete" on "chunk"`);
    this.addSql(`drop trigger if exists "chunk_lexeme_on_update" on "chunk"`);
    this.addSql(`drop function if exists "chunk_lexeme_inserted"()`);
    this.addSql(`drop function if exists "chunk_lexeme_deleted"()`);
    this.addSql(`drop function if exists "chunk_lexeme_updated"()`);
    this.addSql(`drop function if exists "chunk_lexeme_count"(integer, uuid[], tsvector[])`);
    this.addSql(`drop table if exists "chunk_lexeme" cascade`);
  }
}
