// GIN indexes take new entries into a pending list, merged into the index proper when it outgrows
// gin_pending_list_limit (4 MB by default) or when the table is vacuumed, and every search reads the whole list
// through. Right after ingestion that is up to 512 pages for each keyword query, read entry by entry: over 100 jars
// of 100k chunks, the chunk index's keyword statement took 10-12 ms (p50) with a pending list of 356 pages, 5.6 ms
// with none. Also the trigram index, which takes an entry at every change of a word's count (chunk_lexeme's rows are
// updated, not kept in place, since the lexeme index covers the count). At 256 kB a list holds at most 32 pages;
// merging it more often cost writing a 500-chunk document 30% more in PostgreSQL (about 310 ms against 240; 64 kB:
// 380 ms; no pending list at all: 630 ms), a small share of its ingestion, for searches that never read more.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261204120000_short_pending_lists extends Migration {
  override up(): void {
    this.addSql(`alter index "chunk_search_vector_index" set (gin_pending_list_limit = 256)`);
    // The trigram index exists only where pg_trgm could be created (Migration20261201120000_lexeme_trigrams).
    this.addSql(`alter index if exists "chunk_lexeme_trigram_index" set (gin_pending_list_limit = 256)`);
  }

  override down(): void {
    this.addSql(`alter index "chunk_search_vector_index" reset (gin_pending_list_limit)`);
    this.addSql(`alter index if exists "chunk_lexeme_trigram_index" reset (gin_pending_list_limit)`);
  }
}
