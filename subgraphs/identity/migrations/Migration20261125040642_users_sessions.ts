// Schema change generated from the entity definitions; review before committing.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125040642_users_sessions extends Migration {
  override up(): void {
    this.addSql(
      `create table "user" ("id" uuid not null, "email" varchar(254) not null, "display_name" varchar(120) not null, "role" text not null, "password_hash" text not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`alter table "user" add constraint "user_email_unique" unique ("email")`);
    this.addSql(
      `create table "session" ("id" uuid not null, "token_hash" varchar(64) not null, "user_id" uuid not null, "expires_at" timestamptz(3) not null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`alter table "session" add constraint "session_token_hash_unique" unique ("token_hash")`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id")`);
    this.addSql(`create index "session_expires_at_index" on "session" ("expires_at")`);
    this.addSql(
      `alter table "user" add constraint "user_role_check" check ("role" in ('ADMIN', 'MEMBER', 'VIEWER'))`,
    );
    this.addSql(
      `alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );
  }

  override down(): void {
    this.addSql(`alter table "session" drop constraint "session_user_id_foreign"`);
    this.addSql(`drop table if exists "user" cascade`);
    this.addSql(`drop table if exists "session" cascade`);
  }
}
