// Documents now live in the knowledge subgraph (its Migration20261130104000_documents); honey-jars keeps only jars
// and memberships.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130104100_documents_move_to_knowledge extends Migration {
  override up(): void {
    this.addSql(`drop table if exists "document" cascade`);
  }

  override down(): void {
    this.addSql(
      `create table "document" ("id" uuid not null, "honey_jar_id" uuid not null, "title" varchar(300) not null, "file_type" varchar(100) not null, "content_hash" varchar(128) not null, "processing_status" text not null default 'PENDING', "chunk_count" int not null default 0, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "document_honey_jar_id_index" on "document" ("honey_jar_id")`);
  }
}
