// Which jars each honey-jars snapshot listed, one row per (snapshot, jar), instead of one `sync_id` per jar. With a
// single slot, two snapshots applied at once (two knowledge replicas, or two honey-jars replicas each answering)
// overwrote each other's mark, and finishing one then took the other's jars for deleted: a tombstone, and the
// jar's documents and vectors removed, though the jar existed. The rows of a snapshot are removed when it finishes.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206190000_snapshot_seen extends Migration {
  override up(): void {
    this.addSql(
      `create table "jar_access_snapshot_seen" ("sync_id" uuid not null, "honey_jar_id" uuid not null,
        "seen_at" timestamptz(3) not null default now(), primary key ("sync_id", "honey_jar_id"))`,
    );
    this.addSql(`alter table "jar_access" drop column "sync_id"`);
  }

  override down(): void {
    this.addSql(`alter table "jar_access" add column "sync_id" uuid null`);
    this.addSql(`drop table if exists "jar_access_snapshot_seen"`);
  }
}
