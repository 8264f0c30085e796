// The trigram index serves slip correction only (`lower(lexeme) % slip`, keyword.ts likelyMeant), never a lookup
// of a word. On `lexeme` itself, PostgreSQL also answered equality through it (a GIN trigram index serves `=`),
// which it costed below the B-tree led by the lexeme: each query word's count read the posting lists of its every
// trigram, 2.3 ms a word, and the 500 variants one edit from a slip 36 ms, over 100 jars of 100k chunks (the B-tree
// answers either in well under a millisecond). On the expression lower(lexeme), the same for a lexeme (they are
// lower case already), the index is out of reach of `lexeme = …`.
import { Migration } from '@mikro-orm/migrations';

/**
 * A trigram index on a column or expression of a table, where the database has pg_trgm. (The migrator takes a
 * module's first exported function in name order for its migration: the class, as capitals sort first.)
 */
export const trigramIndex = (column: string, table = 'chunk_lexeme') => `do $$
  declare ext_schema text;
  begin
    select extnamespace::regnamespace::text into ext_schema from pg_extension where extname = 'pg_trgm';
    if ext_schema is not null then
      execute format('create index "${table}_trigram_index" on "${table}" using gin (${column} %I.gin_trgm_ops)', ext_schema);
    end if;
  end $$`;

export class Migration20261204100000_trigrams_apart extends Migration {
  override up(): void {
    this.addSql(`drop index if exists "chunk_lexeme_trigram_index"`);
    this.addSql(trigramIndex('(lower("lexeme"))'));
  }

  override down(): void {
    this.addSql(`drop index if exists "chunk_lexeme_trigram_index"`);
    this.addSql(trigramIndex('"lexeme"'));
  }
}
