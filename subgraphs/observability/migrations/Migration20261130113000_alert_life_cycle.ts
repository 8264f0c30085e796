// Alerts get a life cycle (state, who acknowledged or resolved them and when) and a fingerprint that
// deduplicates repeats while unresolved (count, last seen). Existing rows become OPEN alerts of their own.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130113000_alert_life_cycle extends Migration {
  override up(): void {
    this.addSql(`alter table "alert" alter column "created_at" type timestamptz(3)`);
    this.addSql(
      `alter table "alert" add column "state" text not null default 'OPEN', add column "fingerprint" text null, add column "count" int not null default 1, add column "last_seen_at" timestamptz(3) null, add column "acknowledged_at" timestamptz(3) null, add column "acknowledged_by" varchar(100) null, add column "resolved_at" timestamptz(3) null, add column "resolved_by" varchar(100) null`,
    );
    // Rows from before fingerprints never merge with new ones: each is its own fingerprint.
    this.addSql(`update "alert" set "fingerprint" = 'legacy:' || "id", "last_seen_at" = "created_at"`);
    this.addSql(
      `alter table "alert" alter column "fingerprint" set not null, alter column "last_seen_at" set not null`,
    );
    this.addSql(
      `alter table "alert" add constraint "alert_state_check" check ("state" in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED'))`,
    );
    this.addSql(`drop index if exists "alert_created_at_index"`);
    this.addSql(`create index "alert_created_at_id_index" on "alert" ("created_at", "id")`);
    this.addSql(`create index "alert_fingerprint_state_index" on "alert" ("fingerprint", "state")`);
    // At most one unresolved alert per fingerprint, whatever races the raising code loses.
    this.addSql(
      `create unique index "alert_unresolved_fingerprint_unique" on "alert" ("fingerprint") where "state" <> 'RESOLVED'`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "alert_unresolved_fingerprint_unique"`);
    this.addSql(`drop index if exists "alert_fingerprint_state_index"`);
    this.addSql(`drop index if exists "alert_created_at_id_index"`);
    this.addSql(`create index "alert_created_at_index" on "alert" ("created_at")`);
    this.addSql(`alter table "alert" drop constraint "alert_state_check"`);
    this.addSql(
      `alter table "alert" drop column "state", drop column "fingerprint", drop column "count", drop column "last_seen_at", drop column "acknowledged_at", drop column "acknowledged_by", drop column "resolved_at", drop column "resolved_by"`,
    );
  }
}
