// Signs the request's viewer for one subgraph at a time (audience = subgraph), with the configured lifetime.
import type { KeyObject } from 'node:crypto';
import { signAssertion, type SubgraphName, type Viewer } from '@sting/kit';

export class AssertionSigner {
  readonly #privateKey: KeyObject;
  readonly #ttlSeconds: number;

  constructor(privateKey: KeyObject, ttlSeconds: number) {
    this.#privateKey = privateKey;
    this.#ttlSeconds = ttlSeconds;
  }

  sign(audience: SubgraphName, viewer: Viewer | null, requestId: string): Promise<string> {
    return signAssertion(this.#privateKey, { audience, viewer, requestId, ttlSeconds: this.#ttlSeconds });
  }
}
