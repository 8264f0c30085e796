// The audit log: append-only, hash-chained records in monthly partitions of their time (`at`), so retention drops
// whole partitions. No foreign key to users: a record outlives the person it names. The partitions themselves are
// made by the subgraph's maintenance (domain/audit/partitions.ts) and, for the month being written, by the append.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130133000_audit_log extends Migration {
  override up(): void {
    this.addSql(`create sequence "audit_event_seq" as bigint`);
    this.addSql(
      `create table "audit_event" (
        "id" uuid not null,
        "seq" bigint not null,
        "at" timestamptz(3) not null,
        "actor_type" varchar(16) not null,
        "actor_id" uuid null,
        "api_key_id" uuid null,
        "action" varchar(200) not null,
        "target_type" varchar(100) null,
        "target_id" varchar(200) null,
        "outcome" varchar(16) not null,
        "request_id" varchar(200) null,
        "client_address" varchar(100) null,
        "details" jsonb not null default '{}',
        "prev_hash" char(64) not null,
        "hash" char(64) not null,
        primary key ("seq", "at"),
        constraint "audit_event_actor_type_check" check ("actor_type" in ('user', 'api_key', 'system', 'anonymous')),
        constraint "audit_event_outcome_check" check ("outcome" in ('success', 'failure', 'denied'))
      ) partition by range ("at")`,
    );
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at")`);
    this.addSql(`create index "audit_event_actor_index" on "audit_event" ("actor_id", "seq")`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action", "seq")`);
    this.addSql(
      `create index "audit_event_target_index" on "audit_event" ("target_type", "target_id", "seq")`,
    );
    this.addSql(`create index "audit_event_id_index" on "audit_event" ("id")`);
    // Row triggers cannot stop a partition being dropped, which is how retention removes old months.
    this.addSql(
      `create function "audit_event_append_only"() returns trigger language plpgsql as $$
        begin
          raise exception 'audit records are append-only (% refused)', tg_op using errcode = 'insufficient_privilege';
        end
      $$`,
    );
    this.addSql(
      `create trigger "audit_event_append_only" before update or delete on "audit_event"
        for each row execute function "audit_event_append_only"()`,
    );
    this.addSql(
      `create trigger "audit_event_no_truncate" before truncate on "audit_event"
        for each statement execute function "audit_event_append_only"()`,
    );
    // One row: the hash and seq of the newest record retention dropped, so the chain's first remaining record can
    // still be checked against its predecessor.
    this.addSql(
      `create table "audit_anchor" (
        "id" smallint primary key default 1 check ("id" = 1),
        "last_seq" bigint not null,
        "last_hash" char(64) not null,
        "dropped_through" timestamptz(3) not null
      )`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "audit_anchor"`);
    this.addSql(`drop table if exists "audit_event" cascade`);
    this.addSql(`drop function if exists "audit_event_append_only"()`);
    this.addSql(`drop sequence if exists "audit_event_seq"`);
  }
}
