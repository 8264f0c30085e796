// The documents of every passage an answer was written from, cited or not: a reader must still be able to read
// each of them to see the answer (a stopped answer can quote a passage before citing it).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206230000_answer_sources extends Migration {
  override up(): void {
    this.addSql(`alter table "message" add column "source_document_ids" jsonb not null default '[]'`);
  }

  override down(): void {
    this.addSql(`alter table "message" drop column "source_document_ids"`);
  }
}
