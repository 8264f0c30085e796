// A jar setting: knowledge stores and indexes its documents with personal data redacted.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261130104200_redact_pii_on_ingest extends Migration {
  override up(): void {
    this.addSql(`alter table "honey_jar" add column "redact_pii_on_ingest" boolean not null default false`);
  }

  override down(): void {
    this.addSql(`alter table "honey_jar" drop column "redact_pii_on_ingest"`);
  }
}
