// Documents move to knowledge (honey-jars drops its table in the same release), with staged uploads and the
// ingestion state: status, progress, error, personal-data findings.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130104000_documents extends Migration {
  override up(): void {
    this.addSql(
      `create table "document" ("id" uuid not null, "honey_jar_id" uuid not null, "title" varchar(300) not null, "file_type" varchar(20) not null, "content_type" varchar(200) not null, "size" bigint not null, "content_hash" varchar(64) not null, "processing_status" text not null default 'PENDING', "progress" double precision not null default 0, "processing_error" text null, "chunk_count" int not null default 0, "pii_findings" jsonb not null default '{}', "version" int not null default 1, "uploaded_by" uuid not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "document" add constraint "document_processing_status_check" check ("processing_status" in ('PENDING_REVIEW', 'PENDING', 'PROCESSING', 'READY', 'FAILED'))`,
    );
    this.addSql(
      `alter table "document" add constraint "document_honey_jar_id_content_hash_unique" unique ("honey_jar_id", "content_hash")`,
    );
    this.addSql(
      `create index "document_honey_jar_id_created_at_index" on "document" ("honey_jar_id", "created_at")`,
    );
    this.addSql(`create index "document_content_hash_index" on "document" ("content_hash")`);
    this.addSql(
      `create table "staged_upload" ("id" uuid not null, "honey_jar_id" uuid not null, "uploaded_by" uuid not null, "filename" varchar(255) not null, "title" varchar(300) not null, "declared_content_type" varchar(200) null, "declared_size" bigint null, "max_bytes" bigint not null, "limit_reason" varchar(20) not null, "mode" text not null, "token_hash" varchar(64) not null, "expires_at" timestamptz(3) not null, "completed_at" timestamptz(3) null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "staged_upload" add constraint "staged_upload_mode_check" check ("mode" in ('direct', 'review'))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "staged_upload" cascade`);
    this.addSql(`drop table if exists "document" cascade`);
  }
}
