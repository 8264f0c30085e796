// The transactional outbox (kit's OutboxEvent): events written with each change, until the relay has sent them.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130110000_outbox extends Migration {
  override up(): void {
    this.addSql(
      `create table "outbox_event" ("seq" bigserial primary key, "id" uuid not null, "topic" varchar(255) not null, "envelope" jsonb not null, "created_at" timestamptz(3) not null, "sent_at" timestamptz(3) null, "attempts" int not null default 0, "last_error" text null)`,
    );
    this.addSql(`alter table "outbox_event" add constraint "outbox_event_id_unique" unique ("id")`);
    this.addSql(`create index "outbox_event_sent_at_index" on "outbox_event" ("sent_at")`);
  }

  override down(): void {
    this.addSql(`drop table if exists "outbox_event" cascade`);
  }
}
