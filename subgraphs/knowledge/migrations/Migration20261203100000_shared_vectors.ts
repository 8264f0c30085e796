// Whether a jar's collection is mirrored in its model's shared collection (vectors.ts), which a search over many
// jars asks once instead of asking every jar's collection. Collections made from now on are mirrored from their
// first vector; older ones are not until re-indexing copies them over (reindex.ts), and search asks them alone.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203100000_shared_vectors extends Migration {
  override up(): void {
    this.addSql(`alter table "vector_index" add column "shared" boolean not null default false`);
  }

  override down(): void {
    this.addSql(`alter table "vector_index" drop column "shared"`);
  }
}
