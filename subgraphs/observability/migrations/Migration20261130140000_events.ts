// The platform's events (one row per bus event, partitioned by UTC month of `occurred_at`; partitions are made as
// events arrive and dropped whole by retention), their daily summary as a materialized view (its unique index lets
// it be refreshed concurrently, readers never blocked), and the outgoing webhook deliveries.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130140000_events extends Migration {
  override up(): void {
    this.addSql(
      `create table "events" ("id" uuid not null, "type" varchar(100) not null, "kind" varchar(200) not null default '', "source" varchar(100) not null, "occurred_at" timestamptz(3) not null, "actor_id" varchar(100) null, "subject" varchar(200) null, "outcome" varchar(50) not null default '', "amount" double precision not null default 1, "details" jsonb not null default '{}', primary key ("id", "occurred_at")) partition by range ("occurred_at")`,
    );
    this.addSql(`create index "events_type_occurred_at_index" on "events" ("type", "occurred_at")`);
    this.addSql(
      `create materialized view "event_daily_summary" as select (date_trunc('day', "occurred_at" at time zone 'UTC'))::date as "day", "type", "kind", "outcome", count(*)::bigint as "events", sum("amount")::double precision as "amount", count(distinct "actor_id")::bigint as "actors" from "events" group by 1, 2, 3, 4`,
    );
    this.addSql(
      `create unique index "event_daily_summary_key" on "event_daily_summary" ("day", "type", "kind", "outcome")`,
    );
    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null default gen_random_uuid(), "url" text not null, "event_id" uuid not null, "event_type" varchar(100) not null, "body" text not null, "created_at" timestamptz(3) not null, "next_attempt_at" timestamptz(3) not null, "attempts" int not null default 0, "delivered_at" timestamptz(3) null, "failed_at" timestamptz(3) null, "last_error" text null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_url_event_unique" unique ("url", "event_id")`,
    );
    this.addSql(
      `create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "delivered_at" is null and "failed_at" is null`,
    );
    this.addSql(
      `create table "health_report" ("id" uuid not null, "created_at" timestamptz(3) not null, "created_by" varchar(100) null, "period_from" timestamptz(3) not null, "period_to" timestamptz(3) not null, "report" jsonb not null, "pdf" bytea null, primary key ("id"))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "health_report" cascade`);
    this.addSql(`drop table if exists "webhook_delivery" cascade`);
    this.addSql(`drop materialized view if exists "event_daily_summary"`);
    this.addSql(`drop table if exists "events" cascade`);
  }
}
