// A jar's members are paged in the order they were added: each page is read through this index and stops at its end.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203080000_member_order extends Migration {
  override up(): void {
    this.addSql(
      `create index "honey_jar_member_honey_jar_id_created_at_id_index" on "honey_jar_member" ("honey_jar_id", "created_at", "id")`,
    );
  }

  override down(): void {
    this.addSql(`drop index "honey_jar_member_honey_jar_id_created_at_id_index"`);
  }
}
