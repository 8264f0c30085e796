// API keys: owned by a User (deleted with them), stored as the SHA-256 of the key, with scopes, an optional jar
// restriction and expiry, when last used and when revoked.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130132000_api_keys extends Migration {
  override up(): void {
    this.addSql(
      `create table "api_key" ("id" uuid not null, "user_id" uuid not null, "name" varchar(80) not null, "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "scopes" text[] not null, "honey_jar_ids" text[] null, "expires_at" timestamptz(3) null, "last_used_at" timestamptz(3) null, "revoked_at" timestamptz(3) null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`alter table "api_key" add constraint "api_key_key_hash_unique" unique ("key_hash")`);
    this.addSql(`create index "api_key_user_id_index" on "api_key" ("user_id")`);
    this.addSql(
      `alter table "api_key" add constraint "api_key_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "api_key" cascade`);
  }
}
