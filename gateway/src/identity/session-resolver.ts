// Turns a presented session into a viewer through the configured provider's lookup, with a short-lived, bounded
// cache so a burst of requests from one browser costs one lookup.
import { LRUCache } from 'lru-cache';
import { ErrorCode, StingError, UnauthenticatedError } from '@sting/kit/errors.ts';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import { MALFORMED_CREDENTIALS, type PresentedSession } from './session-token.ts';

export const INVALID_SESSION_MESSAGE = 'Your session has expired or is not valid; sign in again';
/** What a credential in no form the gateway reads is told: the forms it reads. */
export const MALFORMED_CREDENTIALS_MESSAGE =
  'Send a session token or an API key as "Authorization: Bearer <token>", or an API key as "X-API-Key: <key>"';

/**
 * A token the client sent on purpose names no live session, or a credential came in no form the gateway reads:
 * answered 401, never quietly anonymous. `challenge` is the WWW-Authenticate header's value (RFC 6750).
 */
export class InvalidSessionError extends UnauthenticatedError {
  readonly challenge: string;

  constructor(malformed = false) {
    super(malformed ? MALFORMED_CREDENTIALS_MESSAGE : INVALID_SESSION_MESSAGE);
    this.challenge = `Bearer error="${malformed ? 'invalid_request' : 'invalid_token'}"`;
  }
}

/** The GraphQL-over-HTTP answer to an invalid session token (sent with status 401). */
export function invalidSessionBody(requestId: string, message = INVALID_SESSION_MESSAGE) {
  return {
    errors: [{ message, extensions: { code: 'UNAUTHENTICATED', requestId } }],
  };
}

export const SESSION_UNAVAILABLE_MESSAGE = 'Your session could not be checked right now; try again shortly';

/**
 * The session could not be checked (the identity provider is unreachable or failing). Never treated as anonymous:
 * the request fails rather than running without the viewer it came with.
 */
export class SessionUnavailableError extends StingError {
  constructor() {
    super(ErrorCode.INTERNAL_SERVER_ERROR, SESSION_UNAVAILABLE_MESSAGE);
  }
}

/** The GraphQL-over-HTTP answer when the session could not be checked (sent with status 500). */
export function sessionUnavailableBody(requestId: string) {
  return {
    errors: [
      {
        message: SESSION_UNAVAILABLE_MESSAGE,
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
      },
    ],
  };
}

/** The viewer behind a session, or null when it names no live one; throws SessionUnavailableError otherwise. */
export type SessionLookup = (session: PresentedSession) => Promise<Viewer | null>;

export interface SessionResolverOptions {
  ttlMs?: number;
  maxEntries?: number;
}

// A token and a cookie header are looked up differently, so the same string presented both ways is two entries.
const keyOf = (session: PresentedSession) => `${session.source}:${session.token}`;

interface CacheEntry {
  viewer: Promise<Viewer | null>;
  /** The viewer once the lookup answered (read without waiting by `peek`). */
  settled?: { viewer: Viewer | null };
  /** The person the viewer turned out to be, once the lookup answered (for forgetting by person). */
  userId?: string;
}

export class SessionResolver {
  readonly #lookup: SessionLookup;
  // Least recently used entries go first past `maxEntries`; each lives `ttlMs` from its lookup, never renewed by
  // reads, so a session ended or changed is seen within `ttlMs` by HTTP and by open sockets alike, and at once when
  // identity announces the change (forgetUser).
  readonly #cache: LRUCache<string, CacheEntry>;
  /** Keys of the cached entries of each person. */
  readonly #byUser = new Map<string, Set<string>>();
  /** Keys whose lookup has not answered yet: who they belong to is not known. */
  readonly #pending = new Set<string>();

  constructor(lookup: SessionLookup, options: SessionResolverOptions = {}) {
    this.#lookup = lookup;
    this.#cache = new LRUCache({
      max: options.maxEntries ?? 1000,
      ttl: options.ttlMs ?? 5000,
      dispose: (entry, key) => this.#unindex(key, entry),
    });
  }

  #unindex(key: string, entry: CacheEntry): void {
    this.#pending.delete(key);
    if (!entry.userId) return;
    const keys = this.#byUser.get(entry.userId);
    keys?.delete(key);
    if (keys?.size === 0) this.#byUser.delete(entry.userId);
  }

  resolve(session: PresentedSession | undefined): Promise<Viewer | null> {
    if (!session?.token) return Promise.resolve(null);
    const key = keyOf(session);
    const hit = this.#cache.get(key);
    if (hit) return hit.viewer;
    const viewer = this.#lookup(session);
    const entry: CacheEntry = { viewer };
    this.#cache.set(key, entry);
    this.#pending.add(key);
    viewer.then(
      (found) => {
        if (this.#cache.peek(key) !== entry) return;
        entry.settled = { viewer: found };
        this.#pending.delete(key);
        if (found?.kind !== 'user') return;
        entry.userId = found.id;
        const keys = this.#byUser.get(found.id) ?? new Set<string>();
        keys.add(key);
        this.#byUser.set(found.id, keys);
      },
      // A failed lookup is not remembered: the next request tries again.
      () => this.#cache.peek(key) === entry && this.#cache.delete(key),
    );
    return viewer;
  }

  /**
   * What `resolve` would answer, when it can answer without waiting (an answered lookup still cached); undefined
   * otherwise. Lets a check made for every subscription event skip the promise when nothing is to be looked up.
   */
  peek(session: PresentedSession | undefined): { viewer: Viewer | null } | undefined {
    if (!session?.token) return { viewer: null };
    return this.#cache.get(keyOf(session))?.settled;
  }

  /**
   * The viewer behind what the caller presented. Nothing, or a stale cookie, is anonymous (a browser holding an
   * old cookie must still reach `login`); a Bearer token that names no live session throws InvalidSessionError.
   */
  async authenticate(presented: PresentedSession | undefined): Promise<Viewer | null> {
    if (!presented) return null;
    if (presented === MALFORMED_CREDENTIALS) throw new InvalidSessionError(true);
    const viewer = await this.resolve(presented);
    if (!viewer && presented.source === 'bearer') throw new InvalidSessionError();
    return viewer;
  }

  /** Forgets a token at once (sign-out), however it was presented. */
  forget(token: string): void {
    this.#cache.delete(keyOf({ token, source: 'bearer' }));
    this.#cache.delete(keyOf({ token, source: 'cookie' }));
  }

  /**
   * Forgets every cached session (and API key) of a person at once: their role or standing changed, or some of
   * their sessions ended. Lookups still in flight are dropped too, since they may have read the old state.
   * Answers how many entries went.
   */
  forgetUser(userId: string): number {
    const keys = [...(this.#byUser.get(userId) ?? []), ...this.#pending];
    for (const key of keys) this.#cache.delete(key);
    this.#byUser.delete(userId);
    return keys.length;
  }

  get size(): number {
    return this.#cache.size;
  }
}
