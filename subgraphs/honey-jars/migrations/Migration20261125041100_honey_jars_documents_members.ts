// Schema change generated from the entity definitions; review before committing.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125041100_honey_jars_documents_members extends Migration {
  override up(): void {
    this.addSql(
      `create table "honey_jar" ("id" uuid not null, "name" varchar(120) not null, "description" text null, "type" text not null, "status" text not null, "tags" text[] not null, "owner_id" uuid not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "honey_jar_owner_id_index" on "honey_jar" ("owner_id")`);
    this.addSql(`create index "honey_jar_created_at_id_index" on "honey_jar" ("created_at", "id")`);
    this.addSql(
      `alter table "honey_jar" add constraint "honey_jar_owner_id_name_unique" unique ("owner_id", "name")`,
    );
    this.addSql(
      `create table "document" ("id" uuid not null, "honey_jar_id" uuid not null, "title" varchar(300) not null, "file_type" varchar(100) not null, "content_hash" varchar(128) not null, "processing_status" text not null default 'PENDING', "chunk_count" int not null default 0, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "document_honey_jar_id_index" on "document" ("honey_jar_id")`);
    this.addSql(
      `create table "honey_jar_member" ("id" uuid not null, "honey_jar_id" uuid not null, "user_id" uuid not null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "honey_jar_member_user_id_index" on "honey_jar_member" ("user_id")`);
    this.addSql(
      `alter table "honey_jar_member" add constraint "honey_jar_member_honey_jar_id_user_id_unique" unique ("honey_jar_id", "user_id")`,
    );
    this.addSql(
      `alter table "honey_jar" add constraint "honey_jar_type_check" check ("type" in ('PUBLIC', 'PRIVATE', 'TEAM', 'RESTRICTED'))`,
    );
    this.addSql(
      `alter table "honey_jar" add constraint "honey_jar_status_check" check ("status" in ('ACTIVE', 'ARCHIVED'))`,
    );
    this.addSql(
      `alter table "document" add constraint "document_honey_jar_id_foreign" foreign key ("honey_jar_id") references "honey_jar" ("id")`,
    );
    this.addSql(
      `alter table "document" add constraint "document_processing_status_check" check ("processing_status" in ('PENDING', 'PROCESSING', 'READY', 'FAILED'))`,
    );
    this.addSql(
      `alter table "honey_jar_member" add constraint "honey_jar_member_honey_jar_id_foreign" foreign key ("honey_jar_id") references "honey_jar" ("id")`,
    );
  }

  override down(): void {
    this.addSql(`alter table "document" drop constraint "document_honey_jar_id_foreign"`);
    this.addSql(`alter table "honey_jar_member" drop constraint "honey_jar_member_honey_jar_id_foreign"`);
    this.addSql(`drop table if exists "honey_jar" cascade`);
    this.addSql(`drop table if exists "document" cascade`);
    this.addSql(`drop table if exists "honey_jar_member" cascade`);
  }
}
