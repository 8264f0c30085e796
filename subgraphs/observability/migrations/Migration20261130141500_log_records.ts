// The embedded log store (used when no Loki is configured): every process's filtered log records, in day
// partitions of their time so retention drops whole days; and the Pollen Filter's redactions per type per minute
// (from observability.log.sanitized), kept seven days. Partitions are made by the subgraph (domain/logs).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130141500_log_records extends Migration {
  override up(): void {
    this.addSql(`create sequence "log_record_seq" as bigint`);
    this.addSql(
      `create table "log_record" (
        "id" bigint not null default nextval('log_record_seq'),
        "at" timestamptz(3) not null,
        "service" varchar(100) not null,
        "level" varchar(10) not null,
        "msg" text not null,
        "record" jsonb not null,
        primary key ("at", "id")
      ) partition by range ("at")`,
    );
    this.addSql(`create index "log_record_service_at_index" on "log_record" ("service", "at")`);
    this.addSql(
      `create table "pollen_redaction_minute" (
        "minute" timestamptz(0) not null,
        "type" varchar(64) not null,
        "count" bigint not null,
        primary key ("minute", "type")
      )`,
    );
    this.addSql(
      `create table "log_sanitized_minute" (
        "minute" timestamptz(0) primary key,
        "records" bigint not null
      )`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "log_sanitized_minute"`);
    this.addSql(`drop table if exists "pollen_redaction_minute"`);
    this.addSql(`drop table if exists "log_record" cascade`);
    this.addSql(`drop sequence if exists "log_record_seq"`);
  }
}
