// Writes a new migration from the difference between a subgraph's entity definitions and its migrated schema.
// The diff is computed in a throwaway schema, then unqualified, so the file runs in whatever schema it is given.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOrm } from './orm.ts';
import { migrate } from './migrate.ts';

export interface CreateMigrationOptions {
  clientUrl: string;
  entities: unknown[];
  migrationsPath: string;
  /** Short description used in the file name, e.g. `add_jar_visibility`. */
  name?: string;
  /** Write a migration with empty up()/down() instead of a diff. */
  blank?: boolean;
}

export interface CreatedMigration {
  /** Absolute path of the written file; empty when the entities already match the migrations. */
  path: string;
  up: string[];
  down: string[];
}

export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration> {
  const scratch = `migration_scratch_${randomBytes(6).toString('hex')}`;
  const orm = await createOrm({ ...options, schema: scratch, poolMax: 2 });
  try {
    await migrate(orm);
    const diff = options.blank
      ? { up: '', down: '' }
      : await orm.schema.getUpdateSchemaMigrationSQL({ wrap: false, schema: scratch });
    const up = statements(diff.up, scratch);
    const down = statements(diff.down, scratch);
    if (!options.blank && up.length === 0) return { path: '', up, down };
    const className = `Migration${timestamp()}${options.name ? '_' + options.name.replace(/[^A-Za-z0-9_]/g, '_') : ''}`;
    await mkdir(options.migrationsPath, { recursive: true });
    const path = join(options.migrationsPath, `${className}.ts`);
    await writeFile(path, render(className, up, down), { flag: 'wx' });
    return { path, up, down };
  } finally {
    await orm.schema.execute(`drop schema if exists "${scratch}" cascade`).catch(() => undefined);
    await orm.close(true);
  }
}

/** Splits generated SQL into statements and strips the scratch schema so the migration stays schema-agnostic. */
function statements(sql: string, scratch: string): string[] {
  const qualifier = new RegExp(`"${scratch}"\\.`, 'g');
  return sql
    .split(/;\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0)
    .filter((s) => !/^create schema/i.test(s) && !/^drop schema/i.test(s) && !/^set search_path/i.test(s))
    .map((s) => s.replace(qualifier, ''));
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
}

function render(className: string, up: string[], down: string[]): string {
  const literal = (s: string) => '`' + s.replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${') + '`';
  const body = (sql: string[]) => sql.map((s) => `    this.addSql(${literal(s)});\n`).join('');
  return (
    `// Schema change generated from the entity definitions; review before committing.\n` +
    `import { Migration } from '@mikro-orm/migrations';\n\n` +
    `export class ${className} extends Migration {\n` +
    `  override up(): void {\n${body(up)}  }\n\n` +
    `  override down(): void {\n${body(down)}  }\n` +
    `}\n`
  );
}
