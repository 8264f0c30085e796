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

/** An event-count alert rule: at least `threshold` in the last `windowMinutes` fires; fewer resolves it. */
const countRule = (threshold: number, windowMinutes: number) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      threshold: integer(1, 1_000_000).default(threshold),
      windowMinutes: integer(1, 10_080).default(windowMinutes),
    })
    .prefault({});

const embeddedShape = (defaultPort: number, dataDir: string) => ({
  port: port.default(defaultPort),
  dataDir: text.default(dataDir),
});
const embedded = (defaultPort: number, dataDir: string) =>
  z.strictObject(embeddedShape(defaultPort, dataDir)).prefault({});

/**
 * `identity.sessionTtlHours` is the old name of `identity.sessions.absoluteLifetimeHours`: a config that still
 * uses it keeps working (the new name wins when both are given).
 */
function legacySessionTtl(value: unknown): unknown {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || !('sessionTtlHours' in value)) return value;
  const { sessionTtlHours, ...rest } = value as Record<string, unknown> & { sessions?: unknown };
  const sessions = (
    typeof rest.sessions === 'object' && rest.sessions !== null ? rest.sessions : {}
  ) as Record<string, unknown>;
  return { ...rest, sessions: { absoluteLifetimeHours: sessionTtlHours, ...sessions } };
}

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
          /** Lexical tokens of the query text, counted before parsing (graphql-js `maxTokens`). */
          maxTokens: integer(10, 1_000_000).default(5000),
          maxDirectives: integer(0, 10_000).default(50),
          /** graphql-armor's cost: objects 2, scalars 1, times 1.5 per level. */
          maxCost: integer(1, 10_000_000).default(50_000),
          maxResultSize: integer(1, 100_000_000).default(100_000),
        })
        .prefault({}),
      rateLimit: z
        .strictObject({
          enabled: z.boolean().default(true),
          requestsPerMinute: integer(1, 1_000_000).default(600),
          loginPerMinute: integer(1, 1_000_000).default(10),
        })
        .prefault({}),
      metrics: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** `auto`: on the public port in development, only on its own port in production. */
          listener: z.enum(['auto', 'public', 'separate']).default('auto'),
          /** The separate listener's port (on gateway.host). */
          port: port.default(9464),
          /** When set, GET /metrics needs `Authorization: Bearer <token>` (a secret reference is allowed). */
          token: secret.default(''),
        })
        .prefault({}),
      /** graphql-ws subscriptions open at once, per socket and per signed-in user. */
      subscriptions: z
        .strictObject({
          perConnection: integer(1, 100_000).default(100),
          perUser: integer(1, 1_000_000).default(500),
          /** graphql-ws connections one signed-in person may hold open at once (tabs, devices, scripts). */
          socketsPerUser: integer(1, 100_000).default(50),
          /**
           * graphql-ws connections one client address may hold open at once, anonymous ones included (an office
           * behind one NAT address shares it); counted from the upgrade, refused with HTTP 429 beyond it.
           */
          socketsPerAddress: integer(1, 1_000_000).default(500),
          /**
           * graphql-ws upgrades one client address may make a minute: a client opening and closing sockets in a
           * loop, never holding many at once, is refused with HTTP 429 beyond it. Its own budget, apart from the
           * address's requests, so an office reconnecting after a network drop does not stop its HTTP traffic.
           */
          upgradesPerMinute: integer(1, 1_000_000).default(600),
        })
        .prefault({}),
    })
    .prefault({}),
  database: z
    .strictObject({
      url: optionalUrl,
      embedded: z
        .strictObject({
          ...embeddedShape(54329, '.data/postgres'),
          /** PostgreSQL's shared_buffers in MB; 0: a quarter of the machine's memory, from 128 MB up to 1 GB. */
          sharedBuffersMB: integer(0, 1_048_576).default(0),
        })
        .prefault({}),
    })
    .prefault({}),
  redis: z
    .strictObject({
      url: optionalUrl,
      embedded: embedded(6390, '.data/redis'),
      /** The streams that keep durable topics' events for their consumer groups (DurableTopics in kit/bus). */
      streams: z
        .strictObject({
          /**
           * Entries kept per durable topic's stream, by topic (default: the topic's own bound in DurableTopics; the
           * bus refuses a topic that is not durable).
           */
          maxLength: z.record(z.string(), integer(100, 100_000_000)).default({}),
          /** An event delivered and not acknowledged this long is delivered again (twice as long after each). */
          idleSeconds: integer(1, 3600).default(30),
          /** Deliveries of one event before it is logged and given up. */
          maxDeliveries: integer(1, 1000).default(10),
        })
        .prefault({}),
    })
    .prefault({}),
  chroma: z.strictObject({ url: optionalUrl, embedded: embedded(8300, '.data/chroma') }).prefault({}),
  /** `npm start`: what happens when a process it started (subgraph, PostgreSQL, Redis, Chroma) crashes. */
  launcher: z
    .strictObject({
      restart: z
        .strictObject({
          /** more crashes than this within windowSeconds and the launcher gives up on the process */
          maxCrashes: integer(0, 1000).default(5),
          windowSeconds: integer(1, 86_400).default(60),
          /** wait before the first restart, doubled after each crash in the window, up to maxBackoffMs */
          backoffMs: integer(0, 600_000).default(250),
          maxBackoffMs: integer(0, 600_000).default(5_000),
        })
        .prefault({}),
    })
    .prefault({}),
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
  identity: z.preprocess(
    legacySessionTtl,
    z
      .strictObject({
        provider: z.enum(['builtin', 'kratos']).default('builtin'),
        /** A session ends after this long without a request (idle), and at the latest this long after sign-in. */
        sessions: z
          .strictObject({
            idleTimeoutMinutes: integer(1, 365 * 24 * 60).default(720),
            absoluteLifetimeHours: integer(1, 24 * 365).default(24),
          })
          .prefault({}),
        admin: z
          .strictObject({
            email: secret.default('env:STING_ADMIN_EMAIL'),
            password: secret.default('env:STING_ADMIN_PASSWORD'),
          })
          .prefault({}),
        kratos: z
          .strictObject({
            publicUrl: z.url().default('http://127.0.0.1:4433'),
            /** Kratos's admin API: people created, re-roled, disabled and deleted there in Kratos mode. */
            adminUrl: z.url().default('http://127.0.0.1:4434'),
          })
          .prefault({}),
        /** Where people open STING, for links it hands out (password resets); empty: the gateway on localhost. */
        publicUrl: z.union([z.literal(''), z.url()]).default(''),
        /** Administrators without a second factor are refused sensitive operations until they enrol one. */
        requireMfaForAdmins: z.boolean().default(false),
        secondFactor: z
          .strictObject({
            /** AES-256-GCM key sealing TOTP secrets; created in the local keystore on first use when absent. */
            key: secret.default('keystore:identity-second-factor-key'),
            /** The name authenticator apps show beside the account. */
            issuer: text.default('STING'),
          })
          .prefault({}),
        /** Passkeys: the relying party. Empty rpId / origins: localhost and the gateway's own port. */
        webauthn: z
          .strictObject({
            rpId: text.default(''),
            rpName: text.default('STING'),
            origins: z.array(z.url()).default([]),
          })
          .prefault({}),
        /** Audit records older than this many months are dropped, a whole month at a time. */
        audit: z.strictObject({ retentionMonths: integer(1, 1200).default(13) }).prefault({}),
      })
      .prefault({}),
  ),
  security: z
    .strictObject({
      keysDir: text.default('.data/keys'),
      assertionTtlSeconds: integer(5, 3600).default(60),
    })
    .prefault({}),
  /** Bee, the chat assistant: which model answers, its limits, its answer cache and how passages are retrieved. */
  bee: z
    .strictObject({
      provider: z.enum(['extractive', 'openai', 'ollama']).default('extractive'),
      baseUrl: text.default(''),
      model: text.default(''),
      apiKey: secret.default('env:STING_BEE_API_KEY'),
      firstTokenTimeoutMs: integer(100, 600_000).default(30_000),
      totalTimeoutMs: integer(100, 3_600_000).default(120_000),
      retries: integer(0, 2).default(2),
      maxTokens: integer(1, 100_000).default(1024),
      temperature: z.number().min(0).max(2).default(0.2),
      cacheTtlSeconds: integer(0, 30 * 24 * 3600).default(3600),
      historyTokens: integer(0, 100_000).default(1500),
      /** How long an answer goes on with nobody watching its conversation (a reload, a tab closed) before it stops. */
      unwatchedGraceMs: integer(0, 600_000).default(10_000),
      /** Answers Bee writes for one person at once, across conversations and replicas (the model server's share). */
      answersAtOncePerPerson: integer(1, 100).default(3),
      retrieval: z
        .strictObject({
          topK: integer(1, 50).default(6),
          minScore: z.number().min(0).default(0.01),
          /** A passage no keyword matched counts only at this cosine similarity to the question or above. */
          minSimilarity: z.number().min(-1).max(1).default(0.15),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Documents: upload limits, the encrypted blob store, the ingestion and re-index jobs. */
  knowledge: z
    .strictObject({
      maxUploadBytes: integer(1, 2 ** 40).default(50 * 1024 * 1024),
      jarQuotaBytes: integer(1, 2 ** 50).default(10 * 1024 * 1024 * 1024),
      /** Proposals one person may have waiting for review in one PUBLIC jar. */
      maxPendingProposals: integer(1, 10_000).default(20),
      uploadTtlSeconds: integer(10, 24 * 3600).default(900),
      storage: z
        .strictObject({
          dir: text.default('.data/knowledge/blobs'),
          /** AES-256-GCM key material; created in the local keystore on first use when absent. */
          key: secret.default('keystore:knowledge-storage-key'),
        })
        .prefault({}),
      jobs: z
        .strictObject({
          /**
           * Documents ingested at once per process, beside one jar re-indexed; 0: this process runs no jobs (a
           * separate worker-main.ts does).
           */
          concurrency: integer(0, 64).default(2),
          retryLimit: integer(0, 100).default(3),
          retryDelaySeconds: integer(1, 3600).default(5),
          /**
           * An ingestion running longer, or a job whose worker died, is retried after this long (a re-index runs
           * as long as its worker's heartbeat goes on; one silent this long, at least 10 s, is retried).
           */
          expireSeconds: integer(5, 24 * 3600).default(900),
        })
        .prefault({}),
      /** Limits of reading one file's text (in a worker thread): beyond any, the document is FAILED with the reason. */
      extraction: z
        .strictObject({
          timeoutMs: integer(1000, 3_600_000).default(60_000),
          maxMemoryMb: integer(64, 16_384).default(512),
          /** DOCX/XLSX/PPTX are zip archives: their entries, and the bytes actually decompressed from them. */
          maxArchiveEntries: integer(1, 1_000_000).default(10_000),
          maxDecompressedBytes: integer(1024, 2 ** 40).default(256 * 1024 * 1024),
          maxJsonDepth: integer(1, 10_000).default(100),
          /** Passages one document may make: each is embedded and indexed, so past this it would hold an ingestion
           * worker for many minutes (a 50 MB text file makes about 60,000). */
          maxChunks: integer(1, 10_000_000).default(20_000),
        })
        .prefault({}),
      /** Hybrid search: reciprocal rank fusion of the keyword and vector result lists. */
      search: z
        .strictObject({
          keywordWeight: z.number().min(0).max(10).default(1),
          /** Unset: 0.1 with the hashing embedder, 1 with a model (knowledge's search settings). */
          vectorWeight: z.number().min(0).max(10).optional(),
          /** The k of reciprocal rank fusion: 1 / (k + rank). */
          rrfK: integer(1, 1000).default(60),
          /** Candidates taken from each list before fusing, per hit asked for (at least 50). */
          candidatesPerHit: integer(1, 100).default(5),
          maxResults: integer(1, 200).default(50),
          /**
           * In hybrid search, vector hits less similar (cosine) to the query than this do not vote in the fusion.
           */
          minSimilarity: z.number().min(-1).max(1).default(0.15),
          /**
           * How many candidates Chroma's HNSW graph keeps while searching a jar's collection (ef_search): more is
           * closer to an exact nearest-neighbour scan and slower. New collections take it at once; existing ones
           * record it, and Chroma uses it from its next start.
           */
          efSearch: integer(10, 2000).default(400),
        })
        .prefault({}),
      /** The embedder that turns chunks and queries into vectors (@sting/llm). */
      embeddings: z
        .strictObject({
          provider: z.enum(['hashing', 'ollama', 'openai', 'onnx']).default('hashing'),
          /** ollama/openai: the served model's name; onnx: the sentence-transformers folder; hashing: unused. */
          model: text.default(''),
          baseUrl: text.default(''),
          /** openai: bearer key, a secret reference; null when it names an unset variable. */
          apiKey: secret.default('env:STING_EMBEDDINGS_API_KEY'),
          /** hashing: the vector size; others: checked against the model, 0 = learnt from it. */
          dimension: integer(0, 65_536).default(512),
          timeoutMs: integer(100, 600_000).default(30_000),
        })
        .prefault({}),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
      pollenFilter: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
    })
    .prefault({}),
  /** Beeacon: the alert rules the observability subgraph evaluates on its own. */
  observability: z
    .strictObject({
      /** Shipping every process's (Pollen-filtered) log records to Loki's push API; off while url is empty. */
      loki: z
        .strictObject({
          url: z.union([z.literal(''), z.url()]).default(''),
          /** Records per push (up to ten times as many while catching up); a full batch is sent at once. */
          batchSize: integer(1, 10_000).default(1000),
          flushIntervalMs: integer(10, 60_000).default(1000),
          /** Records held while Loki is slow or down; beyond this new records are dropped (and counted). */
          maxBufferRecords: integer(1, 1_000_000).default(10_000),
        })
        .prefault({}),
      /**
       * OpenTelemetry traces. Off: no SDK is loaded and every span call is the API's no-op. On: W3C traceparent is
       * propagated (subgraph fetches, graphql-ws, bus events), log records carry traceId/spanId, and spans go to
       * otlpUrl (OTLP/HTTP, e.g. http://collector:4318/v1/traces) when it is set.
       */
      tracing: z
        .strictObject({
          enabled: z.boolean().default(false),
          otlpUrl: z.union([z.literal(''), z.url()]).default(''),
          /** The OTLP/HTTP encoding spans are sent in: binary protobuf, or JSON for a receiver that wants it. */
          otlpProtocol: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
          /** The service.name of every span; a subgraph running as its own service appends `-<subgraph>`. */
          serviceName: text.default('sting'),
          /** Share of new traces recorded (0 to 1); a request that arrives with a sampled parent is always kept. */
          sampleRatio: z.number().min(0).max(1).default(1),
        })
        .prefault({}),
      /** The embedded log store (PostgreSQL, day partitions) used when no Loki url is configured. */
      logs: z
        .strictObject({
          /** Days of records kept; older days are dropped whole. */
          retentionDays: integer(1, 3650).default(7),
        })
        .prefault({}),
      /** The Grafana whose health and dashboards Beeacon reports; off while url is empty. */
      grafana: z
        .strictObject({
          url: z.union([z.literal(''), z.url()]).default(''),
          /** Sent as a Bearer token to Grafana's API (a secret reference); empty: none. */
          apiToken: secret.default(''),
        })
        .prefault({}),
      /**
       * systemStatus: a check of every component answers every read for `freshnessSeconds` after it finished, and
       * reads meanwhile share the check in flight, so reads (or aliases) never make the platform check itself more
       * often than this. 0: each read waits for a check, still shared with reads in flight.
       */
      status: z.strictObject({ freshnessSeconds: z.number().min(0).max(60).default(2) }).prefault({}),
      alerts: z
        .strictObject({
          /** A component down for `consecutiveChecks` checks in a row raises a CRITICAL alert, resolved when back. */
          componentDown: z
            .strictObject({
              enabled: z.boolean().default(true),
              intervalSeconds: integer(1, 3600).default(30),
              consecutiveChecks: integer(1, 100).default(3),
            })
            .prefault({}),
          /** How often the rules below are evaluated. */
          evaluationSeconds: integer(1, 3600).default(30),
          /**
           * Where the gateway's Prometheus metrics are read for the error-rate and latency rules. Empty: the gateway
           * in this process (embedded topology), else `http://<gateway.host>:<metrics port>/metrics`.
           */
          metricsUrl: z.union([z.literal(''), z.url()]).default(''),
          /** Sent as `Authorization: Bearer …` to metricsUrl; defaults to gateway.metrics.token. */
          metricsToken: secret.default(''),
          /** Failed GraphQL operations over all answered, per operation type, across one evaluation interval. */
          errorRate: z
            .strictObject({
              enabled: z.boolean().default(true),
              threshold: z.number().min(0).max(1).default(0.05),
              /** Fewer operations than this in the interval decide nothing (one failure of two is not a trend). */
              minRequests: integer(1, 1_000_000).default(20),
            })
            .prefault({}),
          /** The 99th percentile of operation durations across one evaluation interval, per operation type. */
          latency: z
            .strictObject({
              enabled: z.boolean().default(true),
              p99Seconds: z.number().positive().default(2),
              minRequests: integer(1, 1_000_000).default(20),
            })
            .prefault({}),
          /** Documents whose ingestion FAILED within the window. */
          ingestionFailures: countRule(3, 15),
          /** Failed sign-ins from one client address within the window. */
          failedSignIns: countRule(10, 5),
          /** Personal data found by ingestion (observability.pii.detected, summed counts) within the window. */
          piiSpike: countRule(100, 60),
          /** Processes the launcher restarted after a crash (launcher.restart) within the window. */
          launcherRestarts: countRule(1, 15),
          /** Log records waiting to be shipped: at or above `threshold` and not shrinking for `rounds` checks. */
          logBacklog: z
            .strictObject({
              enabled: z.boolean().default(true),
              threshold: integer(1, 100_000_000).default(5000),
              rounds: integer(1, 100).default(3),
            })
            .prefault({}),
        })
        .prefault({}),
      /** Alerts (and other events) posted to outside receivers, signed with HMAC-SHA256. */
      webhooks: z
        .array(
          z.strictObject({
            url: z.url(),
            /** A secret reference (env:…, keystore:…) to the HMAC key. */
            secret,
            /** Event types sent, e.g. observability.alert.triggered; empty: alerts only. */
            events: z.array(text).default([]),
          }),
        )
        .default([]),
      /** The platform's events as kept in the `events` table (partitioned by month). */
      events: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Months older than this are dropped whole. */
          retentionDays: integer(1, 3650).default(90),
          /** The daily summary (materialized view) is refreshed this often. */
          summaryRefreshSeconds: integer(10, 86_400).default(300),
        })
        .prefault({}),
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
    /** The secret reference each resolved value came from, by dotted key (e.g. `bee.apiKey` → `env:…`). */
    secretReferences?: Record<string, string>;
    gateway: Omit<Parsed['gateway'], 'playground'> & { playground: boolean };
  }
>;
