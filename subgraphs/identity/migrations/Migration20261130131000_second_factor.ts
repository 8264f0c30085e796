// Second factors: a TOTP authenticator per person (secret sealed at rest), hashed single-use recovery codes,
// passkeys (WebAuthn credentials) and the short-lived challenges of passkey ceremonies. All go with their User.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130131000_second_factor extends Migration {
  override up(): void {
    this.addSql(
      `create table "totp_factor" ("id" uuid not null, "user_id" uuid not null, "secret_ciphertext" text not null, "confirmed_at" timestamptz(3) null, "last_used_step" bigint null, "failed_attempts" int not null default 0, "locked_until" timestamptz(3) null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`alter table "totp_factor" add constraint "totp_factor_user_id_unique" unique ("user_id")`);
    this.addSql(
      `alter table "totp_factor" add constraint "totp_factor_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );

    this.addSql(
      `create table "recovery_code" ("id" uuid not null, "user_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz(3) null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "recovery_code" add constraint "recovery_code_code_hash_unique" unique ("code_hash")`,
    );
    this.addSql(`create index "recovery_code_user_id_index" on "recovery_code" ("user_id")`);
    this.addSql(
      `alter table "recovery_code" add constraint "recovery_code_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );

    this.addSql(
      `create table "passkey" ("id" uuid not null, "user_id" uuid not null, "credential_id" varchar(1366) not null, "public_key" text not null, "counter" bigint not null default 0, "transports" jsonb null, "name" varchar(64) not null, "backed_up" boolean not null default false, "created_at" timestamptz(3) not null, "last_used_at" timestamptz(3) null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "passkey" add constraint "passkey_credential_id_unique" unique ("credential_id")`,
    );
    this.addSql(`create index "passkey_user_id_index" on "passkey" ("user_id")`);
    this.addSql(
      `alter table "passkey" add constraint "passkey_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );

    this.addSql(
      `create table "webauthn_challenge" ("id" uuid not null, "challenge" varchar(128) not null, "purpose" text check ("purpose" in ('registration', 'sign-in')) not null, "user_id" uuid null, "expires_at" timestamptz(3) not null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "webauthn_challenge_expires_at_index" on "webauthn_challenge" ("expires_at")`);
    this.addSql(
      `alter table "webauthn_challenge" add constraint "webauthn_challenge_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "webauthn_challenge" cascade`);
    this.addSql(`drop table if exists "passkey" cascade`);
    this.addSql(`drop table if exists "recovery_code" cascade`);
    this.addSql(`drop table if exists "totp_factor" cascade`);
  }
}
