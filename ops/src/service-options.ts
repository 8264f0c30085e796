// Where the backing services live and keep their data, read from the validated config (config.yml plus the
// DATABASE_URL / REDIS_URL / CHROMA_URL overrides): an empty URL means "start the embedded one".
import { join } from 'node:path';
import type { ServicesOptions } from './services/index.ts';

type Section<Extra = object> = {
  readonly url: string;
  readonly embedded: { readonly port: number; readonly dataDir: string } & Extra;
};
/** The part of kit's StingConfig this reads. */
export type ServiceSections = {
  readonly root: string;
  readonly database: Section<{ readonly sharedBuffersMB: number }>;
  readonly redis: Section;
  readonly chroma: Section;
};

export function servicesOptions(
  config: ServiceSections,
  choices: { database?: string; redisDatabase?: number; redisPassword?: string } = {},
): ServicesOptions {
  const { database, redis, chroma } = config;
  return {
    postgres: {
      url: database.url || undefined,
      port: database.embedded.port,
      dataDir: database.embedded.dataDir,
      sharedBuffersMB: database.embedded.sharedBuffersMB,
      database: choices.database ?? 'sting',
    },
    redis: {
      url: redis.url || undefined,
      port: redis.embedded.port,
      dataDir: redis.embedded.dataDir,
      database: choices.redisDatabase,
      password: choices.redisPassword,
    },
    chroma: { url: chroma.url || undefined, port: chroma.embedded.port, dataDir: chroma.embedded.dataDir },
    logDir: join(config.root, '.data', 'logs'),
    cacheDir: join(config.root, '.cache'),
  };
}
