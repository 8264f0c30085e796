// API keys at the gateway: `Authorization: Bearer sting_…` or `X-API-Key: sting_…` (graphql-ws: the same in
// `connection_init`), turned into the owner's viewer narrowed by the key through identity's @inaccessible
// `apiKeyViewer`, with the session cache in front. A revoked key is forgotten at once (identity announces it on the
// bus and every gateway drops the cached viewer of that key), and an expiring one the moment it expires.
import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { isApiKeyScope } from '@sting/kit/policy/scopes.ts';
import { looksLikeApiKey } from '@sting/kit/identity/api-key-format.ts';
import { Roles, type Role, type Viewer } from '@sting/kit/subgraph/module.ts';
import { Topics } from '@sting/kit/bus/topics.ts';
import type { EventBus } from '@sting/kit/bus/event-bus.ts';
import type { EventEnvelope } from '@sting/kit/bus/envelope.ts';
import type { AskIdentity } from './identity-subgraph.ts';
import type { SessionLookup, SessionResolver } from './session-resolver.ts';
import { MALFORMED_CREDENTIALS, type PresentedSession } from './session-token.ts';

export const API_KEY_HEADER = 'x-api-key';

const API_KEY_QUERY = `query ApiKeyViewer($key: String!) {
  apiKeyViewer(key: $key) { id role email displayName apiKey { id scopes honeyJarIds expiresAt } }
}`;

/** An explicit credential presented as an API key (never a cookie: a key is not a browser's). */
export function isApiKeyCredential(presented: PresentedSession): boolean {
  return presented.source === 'bearer' && looksLikeApiKey(presented.token);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

/**
 * What an `Authorization` value and an `X-API-Key` value (either may be absent) present: a key or a session token,
 * MALFORMED_CREDENTIALS for anything else the caller sent on purpose (`Basic …`, `Bearer a b c`, an empty Bearer,
 * an X-API-Key that is not a key, or two different credentials at once), or undefined for neither.
 */
export function explicitCredential(
  authorization: unknown,
  apiKey: unknown,
): PresentedSession | 'session-token' | undefined {
  let bearer: string | undefined;
  if (authorization !== undefined && authorization !== null) {
    if (typeof authorization !== 'string') return MALFORMED_CREDENTIALS;
    if (authorization.trim() !== '') {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
      if (!match) return MALFORMED_CREDENTIALS;
      bearer = match[1];
    }
  }
  if (apiKey !== undefined && apiKey !== null) {
    if (typeof apiKey !== 'string' || !looksLikeApiKey(apiKey.trim())) return MALFORMED_CREDENTIALS;
    if (bearer !== undefined && bearer !== apiKey.trim()) return MALFORMED_CREDENTIALS;
    return { token: apiKey.trim(), source: 'bearer' };
  }
  if (bearer === undefined) return undefined;
  return looksLikeApiKey(bearer) ? { token: bearer, source: 'bearer' } : 'session-token';
}

/** Headers: an API key, a malformed credential, or whatever the identity provider finds (session token, cookie). */
export function credentialFromHeaders(
  headers: IncomingHttpHeaders,
  sessionFromHeaders: (headers: IncomingHttpHeaders) => PresentedSession | undefined,
): PresentedSession | undefined {
  const authorization = headers.authorization;
  const apiKey = headers[API_KEY_HEADER];
  const explicit = explicitCredential(authorization, Array.isArray(apiKey) ? (single(apiKey) ?? []) : apiKey);
  if (explicit === 'session-token' || explicit === undefined) return sessionFromHeaders(headers);
  return explicit;
}

/** graphql-ws `connection_init`: `{ authorization }`, `{ 'x-api-key' }` (any case) or the provider's own forms. */
export function credentialFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
  sessionFromParams: (params: Readonly<Record<string, unknown>> | undefined) => PresentedSession | undefined,
): PresentedSession | undefined {
  if (!params) return undefined;
  const named = (name: string) => Object.entries(params).find(([k]) => k.toLowerCase() === name)?.[1];
  const explicit = explicitCredential(named('authorization'), named(API_KEY_HEADER));
  if (explicit === 'session-token' || explicit === undefined) return sessionFromParams(params);
  return explicit;
}

/** How soon an expiry must come for the gateway to set a timer that drops the key from its cache then. */
const EXPIRY_WATCH_MS = 60_000;

function viewerFromKey(value: unknown): Viewer | null {
  const found = value as {
    id?: unknown;
    role?: unknown;
    email?: unknown;
    displayName?: unknown;
    apiKey?: { id?: unknown; scopes?: unknown; honeyJarIds?: unknown } | null;
  } | null;
  const key = found?.apiKey;
  if (!found || typeof found.id !== 'string' || !Roles.includes(found.role as Role)) return null;
  if (!key || typeof key.id !== 'string' || !Array.isArray(key.scopes)) return null;
  return {
    kind: 'user',
    id: found.id,
    role: found.role as Role,
    ...(typeof found.email === 'string' ? { email: found.email } : {}),
    ...(typeof found.displayName === 'string' ? { displayName: found.displayName } : {}),
    apiKey: {
      id: key.id,
      // A scope this gateway does not know grants nothing here.
      scopes: key.scopes.filter(isApiKeyScope),
      ...(Array.isArray(key.honeyJarIds)
        ? { honeyJarIds: key.honeyJarIds.filter((id): id is string => typeof id === 'string') }
        : {}),
    },
  };
}

export interface ApiKeysOptions {
  /** How many keys' tokens are remembered for forgetting them on revocation (default 10 000). */
  maxTracked?: number;
}

/** Looks keys up in identity and forgets revoked ones from the session cache. */
export class ApiKeys {
  readonly #askIdentity: AskIdentity;
  // Key id → the key itself, for the keys this gateway resolved recently: a revocation names only the id. An
  // entry may outlive the cached viewer (forgetting one that is gone costs nothing), never the other way round for
  // long: entries past `maxTracked` go least recently resolved first, and the cache's own ttl still applies.
  readonly #tokens: LRUCache<string, string>;
  // Keys revoked in the last minute: a lookup that was already in flight when the revocation arrived must not put
  // the key back into the cache.
  readonly #revoked: LRUCache<string, true>;
  // Timers dropping keys that expire within the minute (see #forgetAtExpiry); cleared when watching stops.
  readonly #expiring = new Map<string, NodeJS.Timeout>();
  #sessions?: SessionResolver;

  constructor(askIdentity: AskIdentity, options: ApiKeysOptions = {}) {
    this.#askIdentity = askIdentity;
    this.#tokens = new LRUCache({ max: options.maxTracked ?? 10_000 });
    this.#revoked = new LRUCache({ max: options.maxTracked ?? 10_000, ttl: 60_000 });
  }

  /** The viewer behind a live key, or null (unknown, malformed, revoked, expired, owner disabled or gone). */
  lookup = async (key: string): Promise<Viewer | null> => {
    const found = (await this.#askIdentity(API_KEY_QUERY, { key })).apiKeyViewer;
    const viewer = viewerFromKey(found);
    if (viewer?.kind !== 'user' || !viewer.apiKey || this.#revoked.has(viewer.apiKey.id)) return null;
    this.#tokens.set(viewer.apiKey.id, key);
    this.#forgetAtExpiry(viewer.apiKey.id, (found as { apiKey?: { expiresAt?: unknown } }).apiKey?.expiresAt);
    return viewer;
  };

  /**
   * A key expiring within the minute is dropped from the cache the moment it expires (identity refuses it from
   * then on), not up to a cache lifetime later. One timer per key, unref'd: it never holds the process open.
   */
  #forgetAtExpiry(apiKeyId: string, expiresAt: unknown): void {
    const at = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
    const sessions = this.#sessions;
    if (!sessions || Number.isNaN(at) || this.#expiring.has(apiKeyId)) return;
    const wait = at - Date.now();
    if (wait > EXPIRY_WATCH_MS) return;
    const timer = setTimeout(
      () => {
        this.#expiring.delete(apiKeyId);
        const token = this.#tokens.get(apiKeyId);
        if (token !== undefined) sessions.forget(token);
      },
      Math.max(0, wait),
    );
    timer.unref();
    this.#expiring.set(apiKeyId, timer);
  }

  /** `lookup` for API keys in front of the identity provider's own for everything else. */
  inFrontOf(sessions: SessionLookup): SessionLookup {
    return (presented) =>
      isApiKeyCredential(presented) ? this.lookup(presented.token) : sessions(presented);
  }

  /** Forgets the cached viewer of a revoked key at once. */
  forget(apiKeyId: string, sessions: SessionResolver): void {
    this.#revoked.set(apiKeyId, true);
    const token = this.#tokens.get(apiKeyId);
    if (token === undefined) return;
    sessions.forget(token);
    this.#tokens.delete(apiKeyId);
  }

  /** Listens for revocations on the bus until the returned function is called. */
  async watch(bus: EventBus, sessions: SessionResolver, logger: Logger): Promise<() => Promise<void>> {
    this.#sessions = sessions;
    const subscription = await bus.subscribe<{ apiKeyId?: unknown }>(Topics.identity.apiKeyRevoked);
    const running = (async () => {
      for await (const event of subscription as AsyncIterable<EventEnvelope<{ apiKeyId?: unknown }>>) {
        const id = event.payload?.apiKeyId;
        if (typeof id === 'string') this.forget(id, sessions);
      }
    })().catch((err: unknown) => logger.error({ err }, 'API key revocations are no longer heard'));
    return async () => {
      this.#sessions = undefined;
      for (const timer of this.#expiring.values()) clearTimeout(timer);
      this.#expiring.clear();
      await subscription.return();
      await running;
    };
  }
}
