// Schema change generated from the entity definitions; review before committing.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261125041410_chunks extends Migration {
  override up(): void {
    this.addSql(
      `create table "chunk" ("id" uuid not null, "honey_jar_id" uuid not null, "document_id" uuid not null, "ordinal" int not null, "text" text not null, "created_at" timestamptz(3) not null, primary key ("id"))`,
    );
    this.addSql(`create index "chunk_honey_jar_id_index" on "chunk" ("honey_jar_id")`);
    this.addSql(
      `alter table "chunk" add constraint "chunk_document_id_ordinal_unique" unique ("document_id", "ordinal")`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "chunk" cascade`);
  }
}
