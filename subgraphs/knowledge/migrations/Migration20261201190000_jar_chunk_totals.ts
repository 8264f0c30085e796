// Each jar's number of chunks, kept in chunk_lexeme as the count of the empty lexeme (which every chunk holds,
// and which no search vector can contain). Keyword search needs it to tell a distinctive word from a common one
// when it corrects a typing slip, and reads it in the same statement as the query words' counts.
import { Migration } from '@mikro-orm/migrations';

const COUNT = (
  withTotals: boolean,
) => `create or replace function "chunk_lexeme_count"(delta integer, jar uuid[], vectors tsvector[]) returns void language sql set search_path from current as $$
  insert into chunk_lexeme (honey_jar_id, lexeme, chunks)
    select v.jar, l.lexeme, delta * count(*)::int
    from unnest(jar, vectors) as v(jar, vector)
    cross join lateral (select u.lexeme from unnest(v.vector) u${withTotals ? ` union all select ''` : ''}) l
    group by 1, 2 order by 1, 2
  on conflict (honey_jar_id, lexeme) do update set chunks = chunk_lexeme.chunks + excluded.chunks;
  delete from chunk_lexeme where delta < 0 and chunks <= 0 and honey_jar_id = any(jar);
$$`;

export class Migration20261201190000_jar_chunk_totals extends Migration {
  override up(): void {
    this.addSql(COUNT(true));
    this.addSql(
      `insert into "chunk_lexeme" (honey_jar_id, lexeme, chunks) select honey_jar_id, '', count(*) from "chunk" group by 1`,
    );
  }

  override down(): void {
    this.addSql(COUNT(false));
    this.addSql(`delete from "chunk_lexeme" where lexeme = ''`);
  }
}
