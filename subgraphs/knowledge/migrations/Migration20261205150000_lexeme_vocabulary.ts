// The jars' vocabulary: every lexeme some chunk holds, once (`lexeme_vocabulary`), with the trigram index a slip's
// candidates are found through (keyword.ts, likelyMeant). On chunk_lexeme, one row per jar and lexeme, a slip's
// trigrams matched 1,000-6,200 rows over 100 jars of 100k chunks (3,839 distinct lexemes in 382,281 rows), each
// rechecked on its heap page: 4.5 ms (p50) a slip, up to 11.5. The vocabulary holds each lexeme once, and the
// candidates' counts in the readable jars are read through the index led by the lexeme. The trigram index also
// leaves chunk_lexeme, where it took an entry at every change of a word's count.
//
// Chunk writers keep it (src/domain/search/chunk-store.ts): a transaction removing chunks drops the lexemes no
// chunk_lexeme row holds any more (forget_lexemes), and one writing a document's chunks then adds theirs
// (remember_lexemes). Not statement triggers on chunk_lexeme: those would add a document's words after each batch of
// its chunks, so two transactions writing new words could each wait on the other's (a deadlock); here each adds them
// once, last, in lexeme order. The two take one advisory lock on the table, shared to add and exclusive to drop, so
// that a lexeme is not dropped for a writer whose chunks the dropping statement cannot see yet.
import { Migration } from '@mikro-orm/migrations';
import { trigramIndex } from './Migration20261204100000_trigrams_apart.ts';

/** The advisory lock of the vocabulary: its table's oid, so that each schema's is its own. */
const LOCK = `'lexeme_vocabulary'::regclass::oid::bigint`;

/**
 * `similar_lexemes(slip)`: the vocabulary's lexemes similar to a slip by trigrams (pg_trgm's `%`), and how similar,
 * always through the trigram index. Costing `%` as one operator call, PostgreSQL planned a vocabulary of a few thousand words (19 pages)
 * as a sequential scan, computing the similarity of every word: 3.4 ms a slip over 3,838 words, analysed or not,
 * where the index answers in about 0.15 ms; and the scan grows with the vocabulary. Planned with sequential scans
 * off, in a function of its own (the setting holds only inside it). Where the database lacks pg_trgm, it finds none.
 */
const SIMILAR_LEXEMES = `do $$
  declare ext_schema text;
  begin
    select extnamespace::regnamespace::text into ext_schema from pg_extension where extname = 'pg_trgm';
    execute format(
      'create function "similar_lexemes"(slip text) returns table (lexeme text, similarity real) language sql stable
         set search_path from current set enable_seqscan = off as %L',
      case when ext_schema is null then 'select null::text, null::real where false'
        else format('select v.lexeme, %1$I.similarity(v.lexeme, slip) from lexeme_vocabulary v
          where v.lexeme operator(%1$I.%%) slip', ext_schema) end);
  end $$`;

export class Migration20261205150000_lexeme_vocabulary extends Migration {
  override up(): void {
    this.addSql(`create table "lexeme_vocabulary" ("lexeme" text not null primary key)`);
    this.addSql(
      `insert into "lexeme_vocabulary" select distinct "lexeme" from "chunk_lexeme" where "lexeme" <> '' order by 1`,
    );
    // A lexeme's own lookups go through the primary key; this index serves `lexeme % slip` only.
    this.addSql(trigramIndex('"lexeme"', 'lexeme_vocabulary'));
    this.addSql(`alter index if exists "lexeme_vocabulary_trigram_index" set (gin_pending_list_limit = 256)`);
    this.addSql(SIMILAR_LEXEMES);
    this.addSql(`drop index if exists "chunk_lexeme_trigram_index"`);
    this.addSql(
      `create function "remember_lexemes"(document uuid) returns void language plpgsql set search_path from current as $$
       begin
         perform pg_advisory_xact_lock_shared(${LOCK});
         insert into lexeme_vocabulary (lexeme)
           select distinct u.lexeme from chunk c cross join unnest(c.search_vector) u where c.document_id = document
           order by 1
         on conflict do nothing;
       end $$`,
    );
    // Each statement of a volatile function reads what was committed when it began: the delete, what committed
    // before the lock was granted.
    this.addSql(
      `create function "forget_lexemes"(lexemes text[]) returns void language plpgsql set search_path from current as $$
       begin
         perform pg_advisory_xact_lock(${LOCK});
         delete from lexeme_vocabulary v where v.lexeme = any(lexemes)
           and not exists (select from chunk_lexeme s where s.lexeme = v.lexeme);
       end $$`,
    );
  }

  override down(): void {
    this.addSql(`drop function "similar_lexemes"(text)`);
    this.addSql(`drop function "forget_lexemes"(text[])`);
    this.addSql(`drop function "remember_lexemes"(uuid)`);
    this.addSql(`drop table "lexeme_vocabulary"`);
    this.addSql(trigramIndex('(lower("lexeme"))'));
    this.addSql(`alter index if exists "chunk_lexeme_trigram_index" set (gin_pending_list_limit = 256)`);
  }
}
