// Whose access each of Bee's answers is written with (the person, their role, and the scopes and jars of the API key
// they asked with). A key restricted to some jars may change a conversation only while it may read every answer in
// it, and an answer still being written counts as readable only when it is written with that key's own access.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261207120000_answer_asked_as extends Migration {
  override up(): void {
    this.addSql(`alter table "message" add column "asked_as" text null`);
  }

  override down(): void {
    this.addSql(`alter table "message" drop column "asked_as"`);
  }
}
