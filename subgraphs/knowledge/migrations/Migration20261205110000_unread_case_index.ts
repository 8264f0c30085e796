// The chunks whose case fillWrittenCase has still to read (capitalised_words null), through a partial index: every
// process starting the job workers asks for them, and without it each start scanned the whole chunk table to find
// none (100k chunks: 1.0 s reading 31k pages, against 0.01 ms through the index). Empty once they are filled, and
// chunks are written with their case, so it costs nothing after.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261205110000_unread_case_index extends Migration {
  override up(): void {
    this.addSql(`create index "chunk_unread_case_index" on "chunk" ("id") where "capitalised_words" is null`);
  }

  override down(): void {
    this.addSql(`drop index if exists "chunk_unread_case_index"`);
  }
}
