// Periodic work shared by every replica: the last claimed round of each named job (the alert rules, the health
// check), so a round runs in one replica only; and the health check's state per component (its last recorded up or
// down, consecutive failed checks, when it last changed and was last checked), so whichever replica checks next
// carries on from the last check. The state starts from the newest transition of each component in the history.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201090000_periodic_rounds extends Migration {
  override up(): void {
    this.addSql(
      `create table "periodic_round" ("name" varchar(100) not null, "claimed_at" timestamptz not null, primary key ("name"))`,
    );
    this.addSql(
      `create table "component_check" ("component" varchar(100) not null, "up" boolean not null, "failures" int not null default 0, "since" timestamptz(3) not null, "checked_at" timestamptz(3) not null, primary key ("component"))`,
    );
    this.addSql(
      `insert into "component_check" ("component", "up", "failures", "since", "checked_at") select distinct on ("component") "component", "up", 0, "at", "at" from "component_transition" order by "component", "at" desc`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "component_check"`);
    this.addSql(`drop table if exists "periodic_round"`);
  }
}
