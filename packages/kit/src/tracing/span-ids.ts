// Trace and span ids cut from a hex string of random bytes refilled 4 KiB at a time: one substring per id, where the
// SDK's default generator draws a Math.random() per 4 bytes and formats a buffer for each id.
import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

const POOL_BYTES = 4096;
const ZEROS = /^0+$/;

export class PooledIdGenerator implements IdGenerator {
  readonly #bytes = Buffer.allocUnsafe(POOL_BYTES);
  #hex = '';
  #at = 0;

  generateTraceId = (): string => this.#take(32);
  generateSpanId = (): string => this.#take(16);

  #take(chars: number): string {
    if (this.#at + chars > this.#hex.length) {
      this.#hex = randomFillSync(this.#bytes).toString('hex');
      this.#at = 0;
    }
    const id = this.#hex.slice(this.#at, (this.#at += chars));
    // All zeros is W3C's invalid id (one chance in 2^64 for a span id): draw again.
    return ZEROS.test(id) ? this.#take(chars) : id;
  }
}
