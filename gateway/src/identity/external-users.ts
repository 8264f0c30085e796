// Keeps the identity subgraph's copy of people who sign in at an external provider: a person is synced when first
// seen, when their email, name or role changes, and again after a while (in case the row was removed).
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Role } from '@sting/kit/subgraph/module.ts';
import type { AskIdentity } from './identity-subgraph.ts';

const SYNC_MUTATION =
  'mutation SyncExternalUser($input: ExternalUserInput!) { syncExternalUser(input: $input) }';

export interface ExternalPerson {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface ExternalUsersOptions {
  /** Stored with each User, e.g. `kratos`. */
  provider: string;
  /** How long a sync is trusted before the next sign-in repeats it. Default 10 minutes. */
  ttlMs?: number;
  maxEntries?: number;
}

const fingerprintOf = (person: ExternalPerson) =>
  createHash('sha256')
    .update(JSON.stringify([person.email, person.displayName, person.role]))
    .digest('hex');

export class ExternalUsers {
  readonly #ask: AskIdentity;
  readonly #provider: string;
  // By identity id; the promise is shared, so concurrent first requests of one person sync once.
  readonly #synced: LRUCache<string, { fingerprint: string; done: Promise<void> }>;

  constructor(ask: AskIdentity, options: ExternalUsersOptions) {
    this.#ask = ask;
    this.#provider = options.provider;
    this.#synced = new LRUCache({ max: options.maxEntries ?? 10_000, ttl: options.ttlMs ?? 10 * 60_000 });
  }

  /** Resolves once identity knows the person as they are now; rejects when the sync failed. */
  ensure(person: ExternalPerson): Promise<void> {
    const fingerprint = fingerprintOf(person);
    const known = this.#synced.get(person.id);
    if (known && known.fingerprint === fingerprint) return known.done;
    const done = this.#ask(SYNC_MUTATION, {
      input: { ...person, provider: this.#provider },
    }).then(() => undefined);
    const entry = { fingerprint, done };
    this.#synced.set(person.id, entry);
    // A failed sync is not remembered: the next request tries again.
    done.catch(() => this.#synced.peek(person.id) === entry && this.#synced.delete(person.id));
    return done;
  }
}
