// Until when the process writing a STREAMING answer vouches for it (domain/bee/abandoned.ts): it renews the lease
// while it writes, and an answer whose lease has run out is one nobody writes any more. The partial index holds
// only the answers being written, which the sweep reads.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206120000_answer_leases extends Migration {
  override up(): void {
    this.addSql(`alter table "message" add column "lease_until" timestamptz null`);
    this.addSql(
      `create index "message_streaming_lease_index" on "message" ("lease_until") where "status" = 'STREAMING'`,
    );
  }

  override down(): void {
    this.addSql(`drop index "message_streaming_lease_index"`);
    this.addSql(`alter table "message" drop column "lease_until"`);
  }
}
