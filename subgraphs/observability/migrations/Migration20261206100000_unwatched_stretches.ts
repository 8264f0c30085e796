// A stretch in which the health check did not run (the platform, or its observability service, was stopped):
// marked in the status history by a transition that is not watched, so the history and the uptime report show that
// time as unknown rather than as the state the component had when checks stopped.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206100000_unwatched_stretches extends Migration {
  override up(): void {
    this.addSql(`alter table "component_transition" add column "watched" boolean not null default true`);
  }

  override down(): void {
    this.addSql(`alter table "component_transition" drop column "watched"`);
  }
}
