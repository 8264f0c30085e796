// Keyword search forgives a typing slip: a query word no chunk of the readable jars holds is matched to the jars'
// most similar lexemes (pg_trgm trigram similarity over chunk_lexeme). pg_trgm is a trusted extension, created
// once per database in `public`; where the role may not create it, the migration leaves fuzzy matching off
// (keyword search then matches exact lexemes only, as before) instead of failing the subgraph's start.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201120000_lexeme_trigrams extends Migration {
  override up(): void {
    this.addSql(
      `do $$
       declare ext_schema text;
       begin
         begin
           create extension if not exists pg_trgm with schema public;
         exception when others then
           raise notice 'pg_trgm unavailable (%): keyword search matches exact words only', sqlerrm;
         end;
         select extnamespace::regnamespace::text into ext_schema from pg_extension where extname = 'pg_trgm';
         if ext_schema is not null then
           execute format('create index "chunk_lexeme_trigram_index" on "chunk_lexeme" using gin ("lexeme" %I.gin_trgm_ops)', ext_schema);
         end if;
       end $$`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "chunk_lexeme_trigram_index"`);
  }
}
