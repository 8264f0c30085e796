// Knowledge's read model of jar access, and the chunk table grown into a keyword index: structure (heading path,
// page/slide/sheet, offsets), a content version per chunk, and a weighted tsvector (title > headings > text)
// behind a GIN index. Which Chroma collection serves each jar, with its embedding model, is recorded too.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130101500_jar_access_and_chunk_index extends Migration {
  override up(): void {
    this.addSql(
      `create table "jar_access" ("honey_jar_id" uuid not null, "owner_id" uuid not null, "type" text check ("type" in ('PUBLIC', 'PRIVATE', 'TEAM', 'RESTRICTED')) not null, "status" varchar(20) not null, "name" varchar(120) not null, "redact_pii_on_ingest" boolean not null default false, "deleted" boolean not null default false, "changed_at" timestamptz(3) not null, "sync_id" uuid null, primary key ("honey_jar_id"))`,
    );
    this.addSql(
      `create table "jar_access_member" ("honey_jar_id" uuid not null, "user_id" uuid not null, "present" boolean not null, "changed_at" timestamptz(3) not null, primary key ("honey_jar_id", "user_id"))`,
    );
    this.addSql(`create index "jar_access_member_user_id_index" on "jar_access_member" ("user_id")`);

    this.addSql(`alter table "chunk" add column "document_title" varchar(300) not null default ''`);
    this.addSql(`alter table "chunk" add column "file_type" varchar(100) not null default ''`);
    this.addSql(`alter table "chunk" add column "document_version" int not null default 1`);
    this.addSql(`alter table "chunk" add column "heading_path" text[] not null default '{}'`);
    this.addSql(`alter table "chunk" add column "heading_text" text not null default ''`);
    this.addSql(`alter table "chunk" add column "page" int null`);
    this.addSql(`alter table "chunk" add column "slide" int null`);
    this.addSql(`alter table "chunk" add column "sheet" varchar(200) null`);
    this.addSql(`alter table "chunk" add column "char_start" int not null default 0`);
    this.addSql(`alter table "chunk" add column "char_end" int not null default 0`);
    this.addSql(`alter table "chunk" add column "version" varchar(64) not null default ''`);
    this.addSql(
      `alter table "chunk" add column "search_vector" tsvector generated always as (setweight(to_tsvector('english', "document_title"), 'A') || setweight(to_tsvector('english', "heading_text"), 'B') || setweight(to_tsvector('english', "text"), 'C')) stored`,
    );
    this.addSql(`create index "chunk_search_vector_index" on "chunk" using gin ("search_vector")`);

    this.addSql(
      `create table "vector_index" ("honey_jar_id" uuid not null, "collection" varchar(63) not null, "provider" varchar(40) not null, "model" varchar(200) not null, "dimension" int not null, "state" text check ("state" in ('BUILDING', 'READY', 'RETIRED')) not null, "created_at" timestamptz(3) not null, primary key ("collection"))`,
    );
    this.addSql(`create index "vector_index_honey_jar_id_index" on "vector_index" ("honey_jar_id")`);
  }

  override down(): void {
    this.addSql(`drop table if exists "vector_index" cascade`);
    this.addSql(`drop index if exists "chunk_search_vector_index"`);
    for (const column of [
      'search_vector',
      'version',
      'char_end',
      'char_start',
      'sheet',
      'slide',
      'page',
      'heading_text',
      'heading_path',
      'document_version',
      'file_type',
      'document_title',
    ]) {
      this.addSql(`alter table "chunk" drop column if exists "${column}"`);
    }
    this.addSql(`drop table if exists "jar_access_member" cascade`);
    this.addSql(`drop table if exists "jar_access" cascade`);
  }
}
