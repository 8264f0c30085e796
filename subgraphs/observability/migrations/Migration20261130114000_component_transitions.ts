// The status history: each up/down transition of a component seen by the periodic health check.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130114000_component_transitions extends Migration {
  override up(): void {
    this.addSql(
      `create table "component_transition" ("id" uuid not null default gen_random_uuid(), "component" varchar(100) not null, "kind" text not null, "up" boolean not null, "detail" text null, "at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "component_transition_at_index" on "component_transition" ("at")`);
    this.addSql(
      `alter table "component_transition" add constraint "component_transition_kind_check" check ("kind" in ('SUBGRAPH', 'DATABASE', 'CACHE', 'VECTOR_STORE'))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "component_transition" cascade`);
  }
}
