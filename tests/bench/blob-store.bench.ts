// What storing an upload costs: the blob store's path for one file (AES-256-GCM encrypt while streaming into
// staging, then decrypt once to hash and inspect it, then move it into place) and reading it back decrypted,
// against the baseline of the same bytes written to and read from plain files on the same disk, in one run.
// Then one 64 KiB range from the middle (a PDF reader's request, a resumed download): from a blob already checked
// whole against its tag, and the first range of a blob not yet checked (a store that has not read it: the whole
// file goes through GCM first), against the same range of the plain file.
// `BENCH_MB` (default 50, the upload limit) sets the file size; five rounds each, median reported.
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobStore } from '@sting/knowledge/storage/blob-store.ts';
import { fixed, table } from './measure.ts';

const megabytes = Number(process.env.BENCH_MB ?? 50);
const ROUNDS = 5;
const bytes = randomBytes(megabytes * 1024 * 1024);
const chunks = (size = 64 * 1024) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );

const dir = await mkdtemp(join(tmpdir(), 'sting-blob-bench-'));
const key = randomBytes(32);
const store = new BlobStore(join(dir, 'blobs'), key);
const RANGE_BYTES = 64 * 1024;

async function median(run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const began = performance.now();
    await run();
    times.push(performance.now() - began);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

const drain = async (stream: Readable) => {
  for await (const _ of stream) void _;
};

try {
  const plainWrite = await median(async () => {
    await pipeline(chunks(), createWriteStream(join(dir, `plain-${randomUUID()}`)));
  });
  let hash = '';
  const storeWrite = await median(async () => {
    const id = randomUUID();
    await store.stage(id, chunks(), bytes.length);
    const staged = await store.inspectStaged(id);
    hash = staged.contentHash;
    await store.commitStaged(staged);
  });
  const plainPath = join(dir, 'plain-read');
  await pipeline(chunks(), createWriteStream(plainPath));
  const plainRead = await median(() => drain(createReadStream(plainPath)));
  const storeRead = await median(async () => drain(await store.read(hash)));
  const start = Math.floor(bytes.length / 2) + 7; // not on a block's edge
  const end = start + RANGE_BYTES - 1;
  const plainRange = await median(() => drain(createReadStream(plainPath, { start, end })));
  const checkedRange = await median(async () => drain(await store.readRange(hash, start, end)));
  const firstRange = await median(async () =>
    drain(await new BlobStore(join(dir, 'blobs'), key).readRange(hash, start, end)),
  );
  const rate = (ms: number) => fixed(megabytes / (ms / 1000));
  process.stdout.write(
    `${table(
      ['path', `ms (${megabytes} MB, median of ${ROUNDS})`, 'MB/s', 'vs plain file'],
      [
        ['plain file write', fixed(plainWrite), rate(plainWrite), '1.00'],
        [
          'blob store upload (encrypt, inspect, commit)',
          fixed(storeWrite),
          rate(storeWrite),
          fixed(storeWrite / plainWrite, 2),
        ],
        ['plain file read', fixed(plainRead), rate(plainRead), '1.00'],
        ['blob store read (decrypt)', fixed(storeRead), rate(storeRead), fixed(storeRead / plainRead, 2)],
        ['plain file, 64 KiB range', fixed(plainRange, 3), '', '1.00'],
        [
          'blob store, 64 KiB range (blob checked)',
          fixed(checkedRange, 3),
          '',
          fixed(checkedRange / plainRange, 2),
        ],
        [
          'blob store, first 64 KiB range (whole blob checked first)',
          fixed(firstRange, 3),
          '',
          fixed(firstRange / plainRange, 2),
        ],
      ],
    )}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
