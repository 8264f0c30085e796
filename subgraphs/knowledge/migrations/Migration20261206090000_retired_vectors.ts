// When a jar's collection stopped serving (a re-index promoted another model's): it is dropped once every search
// that could have read it as serving is over (vectors.ts, reclaimRetired), not at the moment search moves on.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206090000_retired_vectors extends Migration {
  override up(): void {
    this.addSql(`alter table "vector_index" add column "retired_at" timestamptz(3) null`);
  }

  override down(): void {
    this.addSql(`alter table "vector_index" drop column "retired_at"`);
  }
}
