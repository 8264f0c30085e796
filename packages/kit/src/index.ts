// @sting/kit: the shared runtime of every STING service.
export * from './errors.ts';
export * from './bus/event-bus.ts';
export * from './subgraph/index.ts';
export * from './db/orm.ts';
export * from './db/migrate.ts';
export * from './db/migration-file.ts';
export * from './identity/index.ts';
export * from './bus/in-process-bus.ts';
export * from './bus/redis-bus.ts';
export * from './redis.ts';
export * from './secrets/provider.ts';
export * from './secrets/local-keystore.ts';
export * from './secrets/vault-secrets.ts';
export * from './config/index.ts';
export * from './logging/logger.ts';
export * from './logging/record-filter.ts';
export * from './chroma.ts';
