// The shape of config.yml: every key, its type and its default (the embedded topology's). Nested sections are
// strict so a misspelt key is reported rather than silently ignored.
import { z } from 'zod';

/** Accepts a number, or a string of digits as environment variables deliver them. */
const integer = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    z.number().int().min(min).max(max),
  );
const port = integer(1, 65535);
const text = z.string();
/** A URL, or empty meaning "start the embedded server". */
const optionalUrl = z
  .union([z.literal(''), z.url()], { error: 'expected a URL, or empty for the embedded server' })
  .default('');
/** A string that may be a secret reference; resolved to its value, or null when it names an unset variable. */
const secret = z.string().nullable();

const embedded = (defaultPort: number, dataDir: string) =>
  z.strictObject({ port: port.default(defaultPort), dataDir: text.default(dataDir) }).prefault({});

const knownSections = z.strictObject({
  profile: z.enum(['development', 'production']).default('development'),
  topology: z.enum(['embedded', 'distributed']).default('embedded'),
  gateway: z
    .strictObject({
      host: text.default('127.0.0.1'),
      port: port.default(4000),
      playground: z
        .union([z.literal('auto'), z.boolean()], { error: 'expected auto, true or false' })
        .default('auto'),
      supergraph: text.default('schema/supergraph.graphql'),
      subgraphs: z
        .strictObject({
          identity: z.url().default('http://127.0.0.1:4101/graphql'),
          'honey-jars': z.url().default('http://127.0.0.1:4102/graphql'),
          knowledge: z.url().default('http://127.0.0.1:4103/graphql'),
          chat: z.url().default('http://127.0.0.1:4104/graphql'),
          observability: z.url().default('http://127.0.0.1:4105/graphql'),
        })
        .prefault({}),
      /** Believe `x-forwarded-for` for the client address (only behind a proxy that sets it). */
      trustProxy: z.boolean().default(false),
      /** Operations beyond these are refused before planning. */
      limits: z
        .strictObject({
          maxDepth: integer(1, 1000).default(12),
          maxAliases: integer(0, 10_000).default(30),
          maxRootFields: integer(1, 10_000).default(20),
        })
        .prefault({}),
      rateLimit: z
        .strictObject({
          enabled: z.boolean().default(true),
          requestsPerMinute: integer(1, 1_000_000).default(600),
          loginPerMinute: integer(1, 1_000_000).default(10),
        })
        .prefault({}),
      metrics: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
    })
    .prefault({}),
  database: z.strictObject({ url: optionalUrl, embedded: embedded(54329, '.data/postgres') }).prefault({}),
  redis: z.strictObject({ url: optionalUrl, embedded: embedded(6390, '.data/redis') }).prefault({}),
  chroma: z.strictObject({ url: optionalUrl, embedded: embedded(8300, '.data/chroma') }).prefault({}),
  secrets: z
    .strictObject({
      provider: z.enum(['local', 'vault']).default('local'),
      keystore: text.default('.data/keystore.enc'),
      keyFile: text.default('.data/keystore.key'),
      vault: z
        .strictObject({
          address: z.url().default('http://127.0.0.1:8200'),
          token: secret.default('env:VAULT_TOKEN'),
          mount: text.default('secret'),
        })
        .prefault({}),
    })
    .prefault({}),
  identity: z
    .strictObject({
      provider: z.enum(['builtin', 'kratos']).default('builtin'),
      sessionTtlHours: integer(1, 24 * 365).default(24),
      admin: z
        .strictObject({
          email: secret.default('env:STING_ADMIN_EMAIL'),
          password: secret.default('env:STING_ADMIN_PASSWORD'),
        })
        .prefault({}),
      kratos: z.strictObject({ publicUrl: z.url().default('http://127.0.0.1:4433') }).prefault({}),
    })
    .prefault({}),
  security: z
    .strictObject({
      keysDir: text.default('.data/keys'),
      assertionTtlSeconds: integer(5, 3600).default(60),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
      pollenFilter: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
    })
    .prefault({}),
});

/** Unknown top-level sections pass through untouched, so a new service can add its own before this file knows it. */
export const configSchema = z.looseObject(knownSections.shape);

export type ParsedConfig = z.output<typeof knownSections>;
type Parsed = ParsedConfig;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** The validated, resolved platform configuration: paths absolute, secrets resolved, playground decided. */
export type StingConfig = DeepReadonly<
  Omit<Parsed, 'gateway'> & {
    /** Directory of the config file; relative paths in it were resolved against this. */
    root: string;
    gateway: Omit<Parsed['gateway'], 'playground'> & { playground: boolean };
  }
>;
