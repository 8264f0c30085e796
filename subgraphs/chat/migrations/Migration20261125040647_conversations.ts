// Schema change generated from the entity definitions; review before committing.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125040647_conversations extends Migration {
  override up(): void {
    this.addSql(
      `create table "conversation" ("id" uuid not null default gen_random_uuid(), "title" varchar(200) not null, "owner_id" varchar(64) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"))`,
    );
    this.addSql(
      `create index "conversation_owner_id_updated_at_index" on "conversation" ("owner_id", "updated_at")`,
    );
    this.addSql(
      `create table "message" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "role" text not null, "text" text not null, "author_id" varchar(64) null, "created_at" timestamptz not null, primary key ("id"))`,
    );
    this.addSql(
      `create index "message_conversation_id_created_at_index" on "message" ("conversation_id", "created_at")`,
    );
    this.addSql(
      `alter table "message" add constraint "message_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "message" add constraint "message_role_check" check ("role" in ('USER', 'ASSISTANT', 'SYSTEM'))`,
    );
  }

  override down(): void {
    this.addSql(`alter table "message" drop constraint "message_conversation_id_foreign"`);
    this.addSql(`drop table if exists "conversation" cascade`);
    this.addSql(`drop table if exists "message" cascade`);
  }
}
