// The encrypted, content-addressed blob store on a real temp directory: round trips, limits enforced while
// streaming, names that reveal nothing, tampering detected, and staging never touched by client names.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { BlobStore, BlobTooLargeError } from '../src/storage/blob-store.ts';

let dir: string;
let store: BlobStore;
let key: Buffer;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-blobs-'));
  key = randomBytes(32);
  store = new BlobStore(dir, key);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('BlobStore', () => {
  it('stores bytes encrypted under a name that is neither the content nor its hash, and reads them back', async () => {
    const bytes = Buffer.from('Bees keep the honey jar warm at 35 degrees. '.repeat(2000));
    const id = randomUUID();
    expect(
      await store.stage(id, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), bytes.length),
    ).toEqual({
      size: bytes.length,
    });
    const staged = await store.inspectStaged(id);
    expect(staged).toMatchObject({ contentHash: sha(bytes), size: bytes.length });
    expect(Buffer.from(staged.head)).toEqual(bytes.subarray(0, 8192));
    await store.commitStaged(staged);
    expect(await store.readAll(staged.contentHash)).toEqual(bytes);
    const [only] = await files(dir);
    expect(only).not.toContain(sha(bytes));
    const onDisk = await readFile(only);
    expect(onDisk.includes(Buffer.from('Bees keep'))).toBe(false);
    expect(onDisk.subarray(0, 4).toString()).toBe('STB1');
  });

  it('stops a stream past the limit, removes what was written and reports the limit', async () => {
    const id = randomUUID();
    let produced = 0;
    // An endless body: the store must stop reading it, not wait for its end.
    const endless = new Readable({
      read() {
        produced += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, 1));
      },
    });
    await expect(store.stage(id, endless, 100_000)).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(produced).toBeLessThan(1024 * 1024);
    expect(await files(dir)).toEqual([]);
  });

  it('leaves no partial file when the stream fails before the file has even opened', async () => {
    // The first chunk is past the limit, so the write fails at once; the file's open is made slow (node's fs
    // streams open through the fs module's `open`), so it completes only after the failure. Removing the file
    // before the open completed left it behind.
    const open = fs.open;
    fs.open = ((...args: Parameters<typeof fs.open>) =>
      void setTimeout(() => Reflect.apply(open, fs, args), 50)) as typeof fs.open;
    try {
      const over = Readable.from([Buffer.alloc(200_000, 1)]);
      await expect(store.stage(randomUUID(), over, 100)).rejects.toBeInstanceOf(BlobTooLargeError);
    } finally {
      fs.open = open;
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(await files(dir)).toEqual([]);
  });

  it('keeps one blob for the same bytes staged twice, and removes it on request', async () => {
    const bytes = Buffer.from('same bytes');
    for (const id of [randomUUID(), randomUUID()]) {
      await store.stage(id, Readable.from([bytes]), 100);
      await store.commitStaged(await store.inspectStaged(id));
    }
    expect(await files(dir)).toHaveLength(1);
    await store.remove(sha(bytes));
    expect(await store.has(sha(bytes))).toBe(false);
  });

  it('sweeps staging files not written to since the cut-off (abandoned uploads, .part files), and nothing newer', async () => {
    const old = randomUUID();
    const fresh = randomUUID();
    await store.stage(old, Readable.from([Buffer.from('left behind')]), 100);
    await store.stage(fresh, Readable.from([Buffer.from('still open')]), 100);
    const part = join(dir, 'staging', `${randomUUID()}.abc123.part`);
    await writeFile(part, 'half written');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, 'staging', old), hourAgo, hourAgo);
    await utimes(part, hourAgo, hourAgo);
    const blobId = randomUUID();
    await store.stage(blobId, Readable.from([Buffer.from('a kept blob')]), 100);
    await store.commitStaged(await store.inspectStaged(blobId));

    expect(await store.sweepStaging(new Date(Date.now() - 60_000))).toBe(2);
    expect(await readdir(join(dir, 'staging'))).toEqual([fresh]);
    expect(await store.has(sha(Buffer.from('a kept blob')))).toBe(true);
    expect(await new BlobStore(join(dir, 'nothing-here'), randomBytes(32)).sweepStaging(new Date())).toBe(0);
  });

  it('detects a tampered blob when it is read', async () => {
    const id = randomUUID();
    await store.stage(id, Readable.from([Buffer.from('original content')]), 100);
    const staged = await store.inspectStaged(id);
    const { contentHash } = staged;
    await store.commitStaged(staged);
    const [path] = await files(dir);
    const bytes = await readFile(path);
    bytes[20] ^= 0xff;
    await writeFile(path, bytes);
    await expect(store.readAll(contentHash)).rejects.toThrow();
  });

  it('reads any range of bytes as the same bytes of the whole, from the blocks that range covers', async () => {
    const bytes = randomBytes(70_000);
    const id = randomUUID();
    await store.stage(id, Readable.from([bytes]), bytes.length);
    const staged = await store.inspectStaged(id);
    const { contentHash } = staged;
    await store.commitStaged(staged);
    const read = async (start: number, end: number) => {
      const parts: Buffer[] = [];
      for await (const chunk of await store.readRange(contentHash, start, end)) parts.push(chunk as Buffer);
      return Buffer.concat(parts);
    };
    // Block edges (16 bytes), a read stream's chunk edge (64 KiB), single bytes, the first and last bytes.
    const ranges: [number, number][] = [
      [0, 0],
      [0, 15],
      [15, 16],
      [16, 31],
      [17, 17],
      [1, 69_999],
      [65_535, 65_537],
      [65_530, 69_999],
      [69_999, 69_999],
      [0, 69_999],
    ];
    for (let i = 0; i < 20; i++) {
      const start = Math.floor(Math.random() * bytes.length);
      ranges.push([start, start + Math.floor(Math.random() * (bytes.length - start))]);
    }
    for (const [start, end] of ranges)
      expect((await read(start, end)).equals(bytes.subarray(start, end + 1))).toBe(true);
    for (const [start, end] of [
      [-1, 5],
      [5, 4],
      [0, 70_000],
      [70_000, 70_000],
      [0.5, 3],
    ])
      await expect(store.readRange(contentHash, start, end)).rejects.toThrow(RangeError);
  });

  it('serves no range of a tampered blob, nor of one changed after it was checked', async () => {
    const bytes = Buffer.from('The queen lays up to 2,000 eggs a day. '.repeat(100));
    const id = randomUUID();
    await store.stage(id, Readable.from([bytes]), bytes.length);
    const staged = await store.inspectStaged(id);
    const { contentHash } = staged;
    await store.commitStaged(staged);
    const [path] = await files(dir);
    const first = async () => {
      const parts: Buffer[] = [];
      for await (const chunk of await store.readRange(contentHash, 0, 9)) parts.push(chunk as Buffer);
      return Buffer.concat(parts).toString();
    };
    // Ranges asked at once of a blob not yet checked: all answered, after one check of the whole file.
    expect(await Promise.all([first(), first(), first()])).toEqual([
      'The queen ',
      'The queen ',
      'The queen ',
    ]);
    // A byte far from the range asked for changes: the file is checked whole again, and refused.
    const onDisk = await readFile(path);
    onDisk[onDisk.length - 100] ^= 0x01;
    await writeFile(path, onDisk);
    await utimes(path, new Date(), new Date(Date.now() + 5000));
    await expect(first()).rejects.toThrow();
    // Nor from a fresh store that never saw the blob whole.
    await expect(new BlobStore(dir, key).readRange(contentHash, 0, 9)).rejects.toThrow();
  });

  it('reads nothing with another key, and keeps nothing of what it could not read', async () => {
    const id = randomUUID();
    await store.stage(id, Readable.from([Buffer.from('secret plan')]), 100);
    await expect(new BlobStore(dir, randomBytes(32)).inspectStaged(id)).rejects.toThrow();
    expect(await files(dir)).toEqual([]);
  });

  it('commits the very bytes it inspected, whatever is staged for the same upload meanwhile', async () => {
    const id = randomUUID();
    const genuine = Buffer.from('the genuine report');
    const other = Buffer.from('bytes staged for the same upload while the first were being completed');
    await store.stage(id, Readable.from([genuine]), 1000);
    const staged = await store.inspectStaged(id);
    // A second PUT of the same upload, between the inspection and the commit.
    await store.stage(id, Readable.from([other]), 1000);
    await store.commitStaged(staged);
    expect(await store.readAll(sha(genuine))).toEqual(genuine);
    // The second bytes wait in the upload's place, as their own staging, until inspected (or swept).
    const next = await store.inspectStaged(id);
    expect(next.contentHash).toBe(sha(other));
    await store.removeStaged(next);
    expect(await readdir(join(dir, 'staging'))).toEqual([]);
    await expect(store.inspectStaged(id)).rejects.toThrow();
  });

  it('accepts only server-made ids and hex hashes as names', async () => {
    await expect(store.stage('../../etc/passwd', Readable.from([Buffer.from('x')]), 10)).rejects.toThrow(
      /UUID/,
    );
    await expect(store.read('../../etc/passwd')).rejects.toThrow(/64 hex/);
  });
});
