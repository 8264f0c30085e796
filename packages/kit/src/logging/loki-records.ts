// The records waiting to go to Loki, held already encoded: each is written into Loki's protobuf form (an
// EntryAdapter: its timestamp and its line) the moment it is logged, into slabs of bytes outside the JavaScript
// heap, and known by a sequence number. The logged line and its record object then die young, as they do with
// shipping off; held until a push took them, they were copied by every young-generation collection and promoted
// to the old generation, which cost the logging thread more than the shipping's own work.
// A push request (loki-push.ts) is put together from a run of sequence numbers: one stream per (service, level),
// its entries copied in as they were written (a run of them in one slab at a time). Records are released oldest
// first, once pushed (or refused for good), and a slab is freed when its last record is.
import type { LogEntry } from './log-tap.ts';
import { varintSize, writeVarint } from '../protobuf/varint.ts';

/** Bytes per slab; a record larger than this gets a slab of its own. */
const SLAB_BYTES = 256 * 1024;
/** A record's bytes beside its line's: the tags, lengths and timestamp of an EntryAdapter (at most). */
const ENTRY_OVERHEAD = 26;

/** A label value in LogQL's quoting: backslash, quote and newline escaped. */
const quoted = (value: string): string => JSON.stringify(value);

interface Slab {
  buffer: Buffer;
  used: number;
  /** The sequence number of its last record. */
  last: number;
}

/** [last millisecond, sequence within it] of the newest timestamp given out in this process. */
let lastMs = 0;
let sequence = 0;

export class LokiRecords {
  readonly #topology: string;
  readonly #capacity: number;
  /** Per record (by sequence number modulo capacity): its slab's number, offset, length and stream. */
  readonly #slabOf: Float64Array;
  readonly #offsetOf: Uint32Array;
  readonly #lengthOf: Uint32Array;
  readonly #streamOf: Uint16Array;
  /** Slabs in use, oldest first; the first is slab number #firstSlab. */
  #slabs: Slab[] = [];
  #firstSlab = 0;
  /** The next record's sequence number, and the oldest one still held. */
  #next = 0;
  #oldest = 0;
  /** Label sets ("service\nlevel") by stream number, their labels field's bytes. */
  readonly #streams = new Map<string, number>();
  readonly #labels: Buffer[] = [];
  /** The last record's label set and stream: a run of records with the same needs no lookup. */
  #lastService: string | undefined;
  #lastLevel: string | undefined;
  #lastStream = 0;

  /** `capacity`: the most records held at once. */
  constructor(topology: string, capacity: number) {
    this.#topology = topology;
    this.#capacity = Math.max(1, capacity);
    this.#slabOf = new Float64Array(this.#capacity);
    this.#offsetOf = new Uint32Array(this.#capacity);
    this.#lengthOf = new Uint32Array(this.#capacity);
    this.#streamOf = new Uint16Array(this.#capacity);
  }

  /** Records held. */
  get size(): number {
    return this.#next - this.#oldest;
  }

  /**
   * Encodes a record now and returns its sequence number (consecutive from 0), or -1 when `capacity` records are
   * held already. Its time is its nanosecond, strictly increasing within the process: records of one millisecond
   * get consecutive nanoseconds, so every shipped record has its own instant and the search can page by it.
   */
  add(entry: LogEntry): number {
    if (this.size >= this.#capacity) return -1;
    const seq = this.#next++;
    const slot = seq % this.#capacity;
    this.#streamOf[slot] = this.#stream(entry.service, entry.level);
    const ms = Math.trunc(entry.at);
    if (ms > lastMs) {
      lastMs = ms;
      sequence = 0;
    } else if (++sequence > 999_999) {
      lastMs++;
      sequence = 0;
    }
    const seconds = Math.floor(lastMs / 1000);
    const nanos = (lastMs - seconds * 1000) * 1_000_000 + sequence;
    const line = entry.line;
    const most = line.length * 3 + ENTRY_OVERHEAD;
    let slab = this.#slabs.at(-1);
    if (!slab || slab.used + most > slab.buffer.length) {
      slab = { buffer: Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, most)), used: 0, last: seq };
      this.#slabs.push(slab);
    }
    const buffer = slab.buffer;
    const start = slab.used;
    // EntryAdapter: timestamp = 1 (Timestamp: seconds = 1, nanos = 2), line = 2. Its header depends on the line's
    // length in bytes, known once written: the line is written where it goes when its bytes are as many as its
    // characters (the usual case), and moved only when they are not.
    const timeLength = 1 + varintSize(seconds) + (nanos > 0 ? 1 + varintSize(nanos) : 0);
    // The header before the line: timestamp's tag, length and contents, then the line's tag and length.
    const guess = 3 + timeLength + varintSize(line.length);
    const lineStart = start + 1 + varintSize(guess + line.length) + guess;
    const written = buffer.write(line, lineStart);
    const headerLength = 3 + timeLength + varintSize(written);
    const lineAt = start + 1 + varintSize(headerLength + written) + headerLength;
    if (lineAt !== lineStart) buffer.copyWithin(lineAt, lineStart, lineStart + written);
    let at = start;
    buffer[at++] = 0x12; // entries = 2 of its stream
    at = writeVarint(buffer, at, headerLength + written);
    buffer[at++] = 0x0a; // timestamp = 1
    buffer[at++] = timeLength;
    buffer[at++] = 0x08; // seconds = 1
    at = writeVarint(buffer, at, seconds);
    if (nanos > 0) {
      buffer[at++] = 0x10; // nanos = 2
      at = writeVarint(buffer, at, nanos);
    }
    buffer[at++] = 0x12; // line = 2
    at = writeVarint(buffer, at, written);
    at += written;
    slab.used = at;
    slab.last = seq;
    this.#slabOf[slot] = this.#firstSlab + this.#slabs.length - 1;
    this.#offsetOf[slot] = start;
    this.#lengthOf[slot] = at - start;
    return seq;
  }

  #stream(service: string, level: string): number {
    if (service === this.#lastService && level === this.#lastLevel) return this.#lastStream;
    const key = `${service}\n${level}`;
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      stream = this.#labels.length;
      this.#streams.set(key, stream);
      const labels = Buffer.from(
        `{service=${quoted(service)}, level=${quoted(level)}, topology=${quoted(this.#topology)}}`,
      );
      // The stream's labels field: labels = 1.
      const field = Buffer.allocUnsafe(1 + varintSize(labels.length) + labels.length);
      labels.copy(field, writeVarint(field, 1, labels.length));
      field[0] = 0x0a;
      this.#labels.push(field);
    }
    this.#lastService = service;
    this.#lastLevel = level;
    this.#lastStream = stream;
    return stream;
  }

  /** Takes back the newest record (its sender refused it). */
  discardLast(): void {
    if (this.size === 0) return;
    const seq = --this.#next;
    const slab = this.#slabs.at(-1)!;
    slab.used = this.#offsetOf[seq % this.#capacity];
    if (slab.used === 0) {
      this.#slabs.pop();
    } else slab.last = seq - 1;
  }

  /**
   * The push request of records [first, first + count), all held: Loki's PushRequest with one stream per label
   * set, in snappy framing (the request as one uncompressed literal: Loki reads any snappy block), in a buffer of
   * its own (never Node's shared pool), so it can be handed to another thread without a copy.
   */
  request(first: number, count: number): Uint8Array {
    if (first < this.#oldest || first + count > this.#next) throw new RangeError('records not held');
    const capacity = this.#capacity;
    const streamBytes = new Float64Array(this.#labels.length);
    for (let seq = first; seq < first + count; seq++) {
      const slot = seq % capacity;
      streamBytes[this.#streamOf[slot]] += this.#lengthOf[slot];
    }
    let length = 0;
    for (let s = 0; s < streamBytes.length; s++) {
      if (streamBytes[s] === 0) continue;
      streamBytes[s] += this.#labels[s].length;
      length += 1 + varintSize(streamBytes[s]) + streamBytes[s];
    }
    // Snappy: the uncompressed length, then one literal: tag 60 + k (k bytes of length - 1), or the length in the
    // tag itself under 61 bytes.
    const literal = length - 1;
    const k = literal < 60 ? 0 : literal < 0x100 ? 1 : literal < 0x10000 ? 2 : literal < 0x1000000 ? 3 : 4;
    const out = Buffer.allocUnsafeSlow(varintSize(length) + (length > 0 ? 1 + k : 0) + length);
    let at = writeVarint(out, 0, length);
    if (length > 0) {
      out[at++] = (k === 0 ? literal : 59 + k) << 2;
      for (let i = 0, rest = literal; i < k; i++, rest = Math.floor(rest / 0x100)) out[at++] = rest % 0x100;
    }
    for (let s = 0; s < streamBytes.length; s++) {
      if (streamBytes[s] === 0) continue;
      out[at++] = 0x0a; // streams = 1
      at = writeVarint(out, at, streamBytes[s]);
      at += this.#labels[s].copy(out, at);
      // The stream's entries, a run of consecutive ones in one slab copied at once.
      let runSlab = -1;
      let runStart = 0;
      let runEnd = 0;
      for (let seq = first; seq <= first + count; seq++) {
        const slot = seq % capacity;
        const inStream = seq < first + count && this.#streamOf[slot] === s;
        if (inStream && this.#slabOf[slot] === runSlab && this.#offsetOf[slot] === runEnd) {
          runEnd += this.#lengthOf[slot];
          continue;
        }
        if (runSlab >= 0) {
          at += this.#slabs[runSlab - this.#firstSlab].buffer.copy(out, at, runStart, runEnd);
          runSlab = -1;
        }
        if (inStream) {
          runSlab = this.#slabOf[slot];
          runStart = this.#offsetOf[slot];
          runEnd = runStart + this.#lengthOf[slot];
        }
      }
    }
    return out;
  }

  /** Lets go of every record before `upTo` (pushed, or refused for good), freeing the slabs they filled. */
  release(upTo: number): void {
    if (upTo <= this.#oldest) return;
    this.#oldest = Math.min(upTo, this.#next);
    while (this.#slabs.length > 1 && this.#slabs[0].last < this.#oldest) {
      this.#slabs.shift();
      this.#firstSlab++;
    }
    // Nothing held in the newest slab either: it is written again from its start.
    if (this.#slabs.length === 1 && this.#slabs[0].last < this.#oldest) this.#slabs[0].used = 0;
  }
}
