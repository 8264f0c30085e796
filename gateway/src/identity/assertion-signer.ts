// Signs the request's viewer for one subgraph at a time (audience = subgraph), with the configured lifetime.
// An ES256 signature per fetch dominated subscription fan-out, so a token is reused for the first half of its life.
import type { KeyObject } from 'node:crypto';
import { signAssertion } from '@sting/kit/identity/assertion.ts';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import type { Viewer } from '@sting/kit/subgraph/module.ts';

export interface AssertionSignerOptions {
  /** Share of the lifetime during which a signed token is handed out again (0 disables reuse). */
  reuseFraction?: number;
  /** Most (audience, viewer) tokens kept; the oldest is dropped beyond it. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Which subgraph may ask which others on the viewer's behalf, with a read-only assertion (queries only): chat
 * runs Bee's retrieval as the person through knowledge's search and names the cited jars through honey-jars, so
 * its fetches also carry one assertion of the person for those two audiences (and for nothing else); honey-jars
 * asks identity whether a person about to be made a member exists; knowledge asks honey-jars whether the person
 * may still read the jars its search hits are in. An API key's claims travel in these assertions too, so a key's
 * limits hold there.
 */
export const DELEGATIONS: Readonly<Partial<Record<SubgraphName, readonly SubgraphName[]>>> = {
  chat: ['knowledge', 'honey-jars'],
  'honey-jars': ['identity'],
  knowledge: ['honey-jars'],
};

interface CachedToken {
  token: Promise<string>;
  reuseUntil: number;
}

/**
 * Everything a subgraph learns from an assertion besides its audience: two viewers that differ here never share
 * (an API key's scopes and jar restriction included, in its own and in delegated assertions alike).
 */
export function viewerKey(viewer: Viewer | null): string {
  if (!viewer) return 'anonymous';
  if (viewer.kind === 'system') return 'system';
  const { apiKey } = viewer;
  return JSON.stringify([
    viewer.id,
    viewer.role,
    viewer.sessionId,
    viewer.email,
    viewer.displayName,
    apiKey ? [apiKey.id, apiKey.scopes, apiKey.honeyJarIds ?? null] : null,
  ]);
}

export class AssertionSigner {
  readonly #privateKey: KeyObject;
  readonly #ttlSeconds: number;
  readonly #reuseMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, CachedToken>();

  constructor(privateKey: KeyObject, ttlSeconds: number, options: AssertionSignerOptions = {}) {
    this.#privateKey = privateKey;
    this.#ttlSeconds = ttlSeconds;
    this.#reuseMs = ttlSeconds * 1000 * (options.reuseFraction ?? 0.5);
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A token for `viewer` at `audience`. Reused tokens carry no request id (it would name the first request);
   * both topologies send the request id beside the assertion, which subgraphs prefer anyway.
   */
  sign(
    audience: SubgraphName | readonly SubgraphName[],
    viewer: Viewer | null,
    requestId: string,
    readOnly = false,
  ): Promise<string> {
    if (this.#reuseMs <= 0) return this.#sign(audience, viewer, requestId, readOnly);
    // A read-only token never stands in for a full one of the same audience (knowledge's delegation to honey-jars
    // and the gateway's own fetches to honey-jars), nor the other way round.
    const key = `${String(audience)}\n${readOnly ? 'ro' : 'rw'}\n${viewerKey(viewer)}`;
    const now = this.#now();
    const cached = this.#cache.get(key);
    if (cached && now < cached.reuseUntil) return cached.token;
    if (cached) this.#cache.delete(key);
    else if (this.#cache.size >= this.#maxEntries) this.#evict(now);
    const token = this.#sign(audience, viewer, undefined, readOnly);
    // Taken before signing starts, so the window can only be shorter than half the token's real life.
    this.#cache.set(key, { token, reuseUntil: now + this.#reuseMs });
    token.catch(() => this.#cache.get(key)?.token === token && this.#cache.delete(key));
    return token;
  }

  /**
   * The viewer's read-only assertion for the subgraphs `audience` may call on their behalf (queries only there);
   * undefined when there are none.
   */
  delegate(audience: SubgraphName, viewer: Viewer | null, requestId: string): Promise<string> | undefined {
    const targets = DELEGATIONS[audience];
    if (!targets || viewer?.kind !== 'user') return undefined;
    return this.sign(targets, viewer, requestId, true);
  }

  /**
   * For a long-lived subscription: hands `renewed` the viewer's delegated assertion (`delegate`) again and again until
   * the returned stop is called, often enough that the one in use never runs out: every half of the shortest life
   * left in a token handed out (a reused one has lived up to the reuse window already). A signing that fails leaves
   * the one in use until the next.
   */
  renewDelegation(
    audience: SubgraphName,
    viewer: Viewer | null,
    requestId: string,
    renewed: (token: string) => void,
  ): () => void {
    const everyMs = Math.max(100, (this.#ttlSeconds * 1000 - this.#reuseMs) / 2);
    const timer = setInterval(
      () => void this.delegate(audience, viewer, requestId)?.then(renewed, () => undefined),
      everyMs,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Tokens currently cached (tests, bounds). */
  get cachedTokens(): number {
    return this.#cache.size;
  }

  #sign(
    audience: SubgraphName | readonly SubgraphName[],
    viewer: Viewer | null,
    requestId: string | undefined,
    readOnly: boolean,
  ): Promise<string> {
    return signAssertion(this.#privateKey, {
      audience,
      viewer,
      requestId,
      ttlSeconds: this.#ttlSeconds,
      ...(readOnly ? { readOnly } : {}),
    });
  }

  /** Drops expired entries; if none were, the oldest one (Map order is insertion order). */
  #evict(now: number): void {
    for (const [key, entry] of this.#cache) if (now >= entry.reuseUntil) this.#cache.delete(key);
    if (this.#cache.size >= this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
  }
}
