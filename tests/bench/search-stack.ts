// What the search benchmarks run on: the bench stack's PostgreSQL, a private Chroma, and knowledge's schema
// migrated in a throwaway database, with search's real services (ChunkIndex, Chroma collections, embedder).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, InProcessEventBus, migrate, type SubgraphRuntime, type Viewer } from '@sting/kit';
import { subgraph as knowledge } from '@sting/knowledge';
import { searchServices, type SearchServices } from '@sting/knowledge/domain/search/services.ts';
import { search, type SearchHitRow, type SearchRequest } from '@sting/knowledge/domain/search/search.ts';
import { applyJarState } from '@sting/knowledge/domain/jar-access/read-model.ts';
import { startChroma } from '@sting/ops/services/chroma.ts';
import { freePort } from '@sting/ops/services/readiness.ts';
import { startBenchStack } from './bench-platform.ts';

export interface SearchBench {
  orm: MikroORM;
  services: SearchServices;
  /** The private Chroma's address. */
  chromaUrl: string;
  find(viewer: Viewer, request: SearchRequest): Promise<SearchHitRow[]>;
  /** A jar owned by `ownerId` in knowledge's read model of jar access. */
  addJar(honeyJarId: string, ownerId: string): Promise<void>;
  stop(): Promise<void>;
}

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export async function startSearchBench(): Promise<SearchBench> {
  const stack = await startBenchStack();
  const scratch = join(stack.config.root, '.data', 'bench-runs', `${process.pid}-chroma`);
  const chroma = await startChroma({
    url: process.env.CHROMA_URL || undefined,
    port: await freePort(),
    dataDir: join(scratch, 'chroma'),
    logDir: join(scratch, 'logs'),
    cacheDir: join(stack.config.root, '.cache'),
    log: say,
  });
  const orm = await createOrm({
    clientUrl: stack.databaseUrl,
    schema: knowledge.dbSchema,
    entities: knowledge.entities,
    migrationsPath: knowledge.migrationsPath,
    poolMax: 4,
  });
  await migrate(orm);
  const bus = new InProcessEventBus();
  const runtime = {
    name: 'knowledge',
    orm,
    bus,
    logger: pino({ level: 'silent' }),
    config: { ...stack.config, chroma: { ...stack.config.chroma, url: chroma.url } },
  } as unknown as SubgraphRuntime;
  const services = await searchServices(runtime);
  return {
    orm,
    services,
    chromaUrl: chroma.url,
    find: (viewer, request) => search({ em: orm.em.fork(), ...services }, viewer, request),
    addJar: (honeyJarId, ownerId) =>
      applyJarState(orm.em.fork(), {
        honeyJarId,
        ownerId,
        type: 'PRIVATE',
        status: 'ACTIVE',
        name: 'Bench jar',
        updatedAt: new Date().toISOString(),
      }),
    async stop() {
      await bus.close();
      await orm.close(true);
      await chroma.stop();
      await stack.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
