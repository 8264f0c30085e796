// Bee's answers: status, citations, provider and costs on messages; a conversation's own honey jar selection.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130104500_bee_answers extends Migration {
  override up(): void {
    this.addSql(`alter table "conversation" add column "honey_jar_ids" jsonb null`);
    this.addSql(
      `alter table "message" add column "status" text not null default 'COMPLETE', add column "reply_to_id" uuid null, add column "citations" jsonb not null default '[]', add column "provider" varchar(40) null, add column "model" varchar(200) null, add column "tokens_in" int null, add column "tokens_out" int null, add column "time_to_first_token_ms" int null, add column "total_time_ms" int null, add column "error_code" varchar(40) null`,
    );
    this.addSql(
      `alter table "message" add constraint "message_status_check" check ("status" in ('STREAMING', 'COMPLETE', 'FAILED', 'CANCELLED'))`,
    );
  }

  override down(): void {
    this.addSql(`alter table "message" drop constraint "message_status_check"`);
    this.addSql(
      `alter table "message" drop column "status", drop column "reply_to_id", drop column "citations", drop column "provider", drop column "model", drop column "tokens_in", drop column "tokens_out", drop column "time_to_first_token_ms", drop column "total_time_ms", drop column "error_code"`,
    );
    this.addSql(`alter table "conversation" drop column "honey_jar_ids"`);
  }
}
