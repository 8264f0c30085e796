// Which run of Bee's writer owns an answer: 1 for the first, one more for each regenerate. A writer that outlived
// its lease (a network partition, a long pause) stores nothing once a regenerate has taken the answer over.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261207003000_answer_generations extends Migration {
  override up(): void {
    this.addSql(`alter table "message" add column "generation" int not null default 1`);
  }

  override down(): void {
    this.addSql(`alter table "message" drop column "generation"`);
  }
}
