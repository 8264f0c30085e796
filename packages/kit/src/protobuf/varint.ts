// Protobuf's base-128 varints, as the platform's own encoders write them (Loki's push requests, OTLP's spans):
// non-negative integers, seven bits a byte, least significant first.

/** The bytes `n` takes as a varint (up to 2^35). */
export const varintSize = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;

/** Writes `n` (a non-negative safe integer) as a varint at `at`; returns the position after it. */
export function writeVarint(buffer: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    buffer[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buffer[at++] = n;
  return at;
}
