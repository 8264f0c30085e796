// The first few passages of the given jars holding a word, as ts_headline shows them: how search reads the way the
// jars write a word (keyword.ts, wordsAsWritten). Asked for the first few matches, PostgreSQL plans
// a sequential scan stopping at them whenever it expects matches spread evenly, and where the jars' rows lie
// behind other jars' (rows are stored in the order written) that scan reads through all of those first; given both
// indexes, it intersects the jars' entries with the word's, and a jar's entries are as many as its chunks (13 ms
// for a jar of 100k). This function reads through one index only, with sequential scans off, and stops at the
// first matches: the jars' (their chunks in turn, the word checked on each), unless by the counts chunk_lexeme keeps
// the word's would read fewer rows. Through the jars' index, the rows read until the first matches are expected to
// be as many as the jars' chunks over the chunks of theirs holding the word, times the matches wanted; through the
// word's, at most every chunk holding it in any jar (its rows come in the order stored, the jars' maybe last).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203200000_passages_holding extends Migration {
  override up(): void {
    this.addSql(
      `create function "passages_holding"(word tsquery, lexeme text, jars uuid[], passages integer, options text, titled boolean)
       returns text[] language plpgsql stable set search_path from current set enable_seqscan = off as $$
       declare
         anywhere bigint;
         in_jars bigint;
         held bigint;
         picked uuid[];
       begin
         select coalesce(sum(s.chunks), 0) into anywhere from chunk_lexeme s where s.lexeme = passages_holding.lexeme;
         select coalesce(sum(s.chunks), 0) into in_jars from chunk_lexeme s where s.lexeme = '' and s.honey_jar_id = any(jars);
         select coalesce(sum(s.chunks), 0) into held from chunk_lexeme s
           where s.lexeme = passages_holding.lexeme and s.honey_jar_id = any(jars);
         -- "is true" keeps a condition out of the index: the other one selects the rows read.
         if anywhere <= (case when held >= passages then passages * in_jars / held else in_jars end) then
           picked := array(select c.id from chunk c
             where c.search_vector @@ word and (c.honey_jar_id = any(jars)) is true limit passages);
         else
           picked := array(select c.id from chunk c
             where c.honey_jar_id = any(jars) and (c.search_vector @@ word) is true limit passages);
         end if;
         return array(
           select ts_headline('english', case when titled
               then concat_ws(' ', c.document_title, array_to_string(c.heading_path, ' '), c.text) else c.text end,
             word, options)
           from chunk c where c.id = any(picked));
       end $$`,
    );
  }

  override down(): void {
    this.addSql(`drop function if exists "passages_holding"(tsquery, text, uuid[], integer, text, boolean)`);
  }
}
