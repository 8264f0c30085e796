// `npm run migrate`: applies every subgraph's pending migrations, each inside the PostgreSQL schema it owns.
// `npm run migrate -- status` lists what is pending; `npm run migrate -- create <subgraph> [name] [--blank]`
// writes a new migration into subgraphs/<subgraph>/migrations/ from the difference between its entities and
// its existing migrations (review it, then commit it).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createLogger,
  createMigration,
  createOrm,
  loadConfigWithSecrets,
  migrateAll,
  pendingMigrations,
  type SubgraphModule,
} from '@sting/kit';
import { servicesOptions } from './service-options.ts';
import { startPostgres } from './services/postgres.ts';

const say = (line: string) => process.stdout.write(`[sting] ${line}\n`);

/** Every subgraph under subgraphs/ whose src/index.ts exports `subgraph`, in directory order. */
export async function discoverSubgraphs(root: string): Promise<SubgraphModule[]> {
  const dir = join(root, 'subgraphs');
  const modules: SubgraphModule[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const entry = join(dir, name, 'src', 'index.ts');
    let exported: { subgraph?: SubgraphModule };
    try {
      exported = (await import(pathToFileURL(entry).href)) as { subgraph?: SubgraphModule };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(err).includes(entry))
        continue;
      throw new Error(`loading subgraph ${name} failed: ${(err as Error).message}`, { cause: err });
    }
    if (exported.subgraph) modules.push(exported.subgraph);
  }
  return modules;
}

async function main(argv: string[]): Promise<void> {
  const [command = 'up', ...rest] = argv;
  const { config, secrets } = await loadConfigWithSecrets();
  const logger = createLogger({ name: 'migrate', level: config.logging.level, secrets });
  const services = servicesOptions(config);
  const postgres = await startPostgres({ ...services.postgres, logDir: services.logDir, log: say });
  try {
    const modules = await discoverSubgraphs(config.root);
    if (command === 'up') {
      const applied = await migrateAll(modules, postgres.url);
      for (const [name, names] of Object.entries(applied)) {
        say(`${name}: ${names.length ? `applied ${names.join(', ')}` : 'up to date'}`);
      }
    } else if (command === 'status') {
      for (const module of modules) {
        const orm = await createOrm({ ...moduleOrm(module), clientUrl: postgres.url, logger });
        try {
          const pending = await pendingMigrations(orm);
          say(`${module.name}: ${pending.length ? `pending ${pending.join(', ')}` : 'up to date'}`);
        } finally {
          await orm.close(true);
        }
      }
    } else if (command === 'create') {
      const [target, name] = rest.filter((a) => !a.startsWith('--'));
      const module = modules.find((m) => m.name === target);
      if (!module)
        throw new Error(`no subgraph "${target ?? ''}"; one of: ${modules.map((m) => m.name).join(', ')}`);
      const created = await createMigration({
        clientUrl: postgres.url,
        entities: module.entities,
        migrationsPath: module.migrationsPath,
        name,
        blank: rest.includes('--blank'),
      });
      say(
        created.path
          ? `wrote ${created.path}`
          : `${module.name}: entities match the migrations; nothing to write`,
      );
    } else {
      throw new Error(
        `unknown command "${command}": use up (default), status, or create <subgraph> [name] [--blank]`,
      );
    }
  } finally {
    await postgres.stop();
  }
}

function moduleOrm(module: SubgraphModule) {
  return { schema: module.dbSchema, entities: module.entities, migrationsPath: module.migrationsPath };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`[sting] migrate failed: ${err.message}\n`);
    process.exit(1);
  });
}
