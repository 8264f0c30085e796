// People and sessions: disabled accounts and last sign-in on User; when a session was last used, from which
// client and address, its assurance level and how it began; one-time password-reset links.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130130000_people_sessions extends Migration {
  override up(): void {
    this.addSql(
      `alter table "user" add column "disabled_at" timestamptz(3) null, add column "last_sign_in_at" timestamptz(3) null`,
    );
    // Existing sessions count as used when they began.
    this.addSql(
      `alter table "session" add column "last_used_at" timestamptz(3) null, add column "client" varchar(256) null, add column "address" varchar(64) null, add column "aal" text not null default 'aal1', add column "second_factor_at" timestamptz(3) null, add column "method" varchar(32) not null default 'password'`,
    );
    this.addSql(`update "session" set "last_used_at" = "created_at"`);
    this.addSql(`alter table "session" alter column "last_used_at" set not null`);
    this.addSql(`alter table "session" add constraint "session_aal_check" check ("aal" in ('aal1', 'aal2'))`);
    this.addSql(
      `create table "password_reset" ("id" uuid not null, "token_hash" varchar(64) not null, "user_id" uuid not null, "issued_by" uuid null, "expires_at" timestamptz(3) not null, "used_at" timestamptz(3) null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash")`,
    );
    this.addSql(`create index "password_reset_user_id_index" on "password_reset" ("user_id")`);
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "password_reset" cascade`);
    this.addSql(`alter table "session" drop constraint if exists "session_aal_check"`);
    this.addSql(
      `alter table "session" drop column "last_used_at", drop column "client", drop column "address", drop column "aal", drop column "second_factor_at", drop column "method"`,
    );
    this.addSql(`alter table "user" drop column "disabled_at", drop column "last_sign_in_at"`);
  }
}
