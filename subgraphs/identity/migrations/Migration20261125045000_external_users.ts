// People of an external identity provider (Kratos): no password hash, and the provider they sign in with.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125045000_external_users extends Migration {
  override up(): void {
    this.addSql(`alter table "user" add column "provider" varchar(32) not null default 'builtin'`);
    this.addSql(`alter table "user" alter column "password_hash" drop not null`);
  }

  override down(): void {
    this.addSql(`delete from "user" where "password_hash" is null`);
    this.addSql(`alter table "user" alter column "password_hash" set not null`);
    this.addSql(`alter table "user" drop column "provider"`);
  }
}
