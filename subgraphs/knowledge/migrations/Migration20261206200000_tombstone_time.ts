// When a jar was taken for deleted: a snapshot taken well after that time which still lists the jar proves the
// deletion wrong (jar ids are never reused, and a deleted jar is never listed again), so the jar is known again.
// Tombstones from before this column count from now.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206200000_tombstone_time extends Migration {
  override up(): void {
    this.addSql(`alter table "jar_access" add column "deleted_at" timestamptz(3) null`);
    this.addSql(`update "jar_access" set "deleted_at" = now() where "deleted"`);
  }

  override down(): void {
    this.addSql(`alter table "jar_access" drop column "deleted_at"`);
  }
}
