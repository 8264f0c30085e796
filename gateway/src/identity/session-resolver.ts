// Turns a session token into a viewer by asking the identity subgraph (as the system), with a short-lived,
// bounded cache so a burst of requests from one browser costs one lookup.
import { UnauthenticatedError, type Viewer } from '@sting/kit';
import type { PresentedSession } from './session-token.ts';

export const INVALID_SESSION_MESSAGE = 'Your session has expired or is not valid; sign in again';

/** A token the client sent on purpose names no live session: answered 401, never quietly anonymous. */
export class InvalidSessionError extends UnauthenticatedError {
  constructor() {
    super(INVALID_SESSION_MESSAGE);
  }
}

/** The GraphQL-over-HTTP answer to an invalid session token (sent with status 401). */
export function invalidSessionBody(requestId: string) {
  return {
    errors: [{ message: INVALID_SESSION_MESSAGE, extensions: { code: 'UNAUTHENTICATED', requestId } }],
  };
}

export type SessionLookup = (token: string) => Promise<Viewer | null>;

export interface SessionResolverOptions {
  ttlMs?: number;
  maxEntries?: number;
}

export class SessionResolver {
  readonly #lookup: SessionLookup;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  // A Map iterates in insertion order: re-inserting on hit makes the first key the least recently used.
  readonly #cache = new Map<string, { expires: number; viewer: Promise<Viewer | null> }>();

  constructor(lookup: SessionLookup, options: SessionResolverOptions = {}) {
    this.#lookup = lookup;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  resolve(token: string | undefined): Promise<Viewer | null> {
    if (!token) return Promise.resolve(null);
    const now = Date.now();
    const hit = this.#cache.get(token);
    if (hit && hit.expires > now) {
      this.#cache.delete(token);
      this.#cache.set(token, hit);
      return hit.viewer;
    }
    const viewer = this.#lookup(token);
    const entry = { expires: now + this.#ttlMs, viewer };
    this.#cache.set(token, entry);
    // A failed lookup is not remembered: the next request tries again.
    viewer.catch(() => this.#cache.get(token) === entry && this.#cache.delete(token));
    while (this.#cache.size > this.#maxEntries) this.#cache.delete(this.#cache.keys().next().value as string);
    return viewer;
  }

  /**
   * The viewer behind what the caller presented. Nothing, or a stale cookie, is anonymous (a browser holding an
   * old cookie must still reach `login`); a Bearer token that names no live session throws InvalidSessionError.
   */
  async authenticate(presented: PresentedSession | undefined): Promise<Viewer | null> {
    if (!presented) return null;
    const viewer = await this.resolve(presented.token);
    if (!viewer && presented.source === 'bearer') throw new InvalidSessionError();
    return viewer;
  }

  /** Forgets a token at once (sign-out). */
  forget(token: string): void {
    this.#cache.delete(token);
  }

  get size(): number {
    return this.#cache.size;
  }
}
