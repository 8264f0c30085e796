// Schema change generated from the entity definitions; review before committing.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125041024_alerts extends Migration {
  override up(): void {
    this.addSql(
      `create table "alert" ("id" uuid not null default gen_random_uuid(), "severity" text not null, "title" varchar(200) not null, "message" text null, "source" varchar(100) not null, "created_at" timestamptz not null, primary key ("id"))`,
    );
    this.addSql(`create index "alert_created_at_index" on "alert" ("created_at")`);
    this.addSql(
      `alter table "alert" add constraint "alert_severity_check" check ("severity" in ('INFO', 'WARNING', 'CRITICAL'))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "alert" cascade`);
  }
}
