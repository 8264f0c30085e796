// Content-addressed, encrypted document storage on local disk. Each blob is AES-256-GCM with its own random IV
// (file = "STB1" | iv | ciphertext | tag); its name is an HMAC of the plaintext's SHA-256, so the disk reveals
// neither contents nor hashes a guesser could confirm. Uploads are written to staging under a server-made id
// first and only become a blob once inspected; client file names never reach a path.
import { isId } from '@sting/kit/ids.ts';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MAGIC = Buffer.from('STB1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + IV_BYTES;
const HEAD_BYTES = 8192;
/** AES's block: GCM's counter counts these. */
const BLOCK_BYTES = 16;
/** Blob files whose tag a range read has checked, kept at most (then forgotten all at once). */
const CHECKED_MAX = 1024;
const SHA256 = /^[0-9a-f]{64}$/;

/** What a blob file's header and tag say, and its stamp: inode, size and mtime, which change when it is rewritten. */
interface BlobHeader {
  iv: Buffer;
  tag: Buffer;
  size: number;
  stamp: string;
}

/** The upload went past `limit` bytes; what was written of it is already removed. */
export class BlobTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`upload exceeds ${limit} bytes`);
    this.name = 'BlobTooLargeError';
    this.limit = limit;
  }
}

/** What a staged upload turned out to hold. */
export interface StagedBlob {
  contentHash: string;
  size: number;
  /** The first bytes, for type detection. */
  head: Uint8Array;
  /** The staging file these figures are of, taken out of the upload's place (see inspectStaged). */
  readonly file: string;
}

/** A staged upload taken for inspection: its id, a dot, random hex, `.taken`. */
const TAKEN = /^[0-9a-f-]{36}\.[0-9a-f]{12}\.taken$/;

/** Counts bytes through, failing the stream as soon as the limit is passed (so a huge body stops early). */
function byteLimit(limit: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      counted.bytes += chunk.length;
      if (counted.bytes > limit) done(new BlobTooLargeError(limit));
      else done(null, chunk);
    },
  });
}

export class BlobStore {
  readonly dir: string;
  readonly #key: Buffer;
  readonly #nameKey: Buffer;
  /** Blob files checked whole against their tag, by path: the stamp (inode, size, mtime) they had then. */
  readonly #checked = new Map<string, string>();
  /** Checks under way, by path and stamp. */
  readonly #checking = new Map<string, Promise<void>>();

  constructor(dir: string, key: Buffer) {
    if (key.length !== 32) throw new Error('the blob key must be 32 bytes');
    this.dir = dir;
    this.#key = key;
    // A separate key for names, so the name HMAC and the cipher never share key material.
    this.#nameKey = createHmac('sha256', key).update('sting blob names').digest();
  }

  #stagedPath(uploadId: string): string {
    if (!isId(uploadId)) throw new Error('a staged upload id is a UUID');
    return join(this.dir, 'staging', uploadId.toLowerCase());
  }

  #takenPath(file: string): string {
    if (!TAKEN.test(file)) throw new Error('not a taken staging file');
    return join(this.dir, 'staging', file);
  }

  #blobPath(contentHash: string): string {
    if (!SHA256.test(contentHash)) throw new Error('a content hash is 64 hex digits');
    const name = createHmac('sha256', this.#nameKey).update(contentHash).digest('hex');
    return join(this.dir, 'objects', name.slice(0, 2), name);
  }

  /**
   * Encrypts `source` into the upload's staging file. Past `maxBytes` the write stops at once, the partial file is
   * removed and BlobTooLargeError is thrown. A second stage of the same id replaces the first atomically.
   */
  async stage(uploadId: string, source: Readable, maxBytes: number): Promise<{ size: number }> {
    const target = this.#stagedPath(uploadId);
    const partial = `${target}.${randomBytes(6).toString('hex')}.part`;
    await mkdir(join(this.dir, 'staging'), { recursive: true, mode: 0o700 });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const counted = { bytes: 0 };
    const out = createWriteStream(partial, { mode: 0o600 });
    try {
      out.write(Buffer.concat([MAGIC, iv]));
      await pipeline(source, byteLimit(maxBytes, counted), cipher, out, { end: false });
      await new Promise<void>((resolve, reject) =>
        out.end(cipher.getAuthTag(), (err?: Error | null) => (err ? reject(err) : resolve())),
      );
      await rename(partial, target);
      return { size: counted.bytes };
    } catch (err) {
      // The file may still be opening when the stream fails: it is removed once the stream has closed, or it would
      // be created after the removal and stay behind.
      await new Promise<void>((resolve) => {
        if (out.closed) return resolve();
        out.once('close', () => resolve());
        out.destroy();
      });
      await rm(partial, { force: true });
      throw err;
    }
  }

  /**
   * Takes the staged upload out of its place and decrypts it once: its SHA-256, size and first bytes. Throws when
   * nothing is staged, or it is corrupt (then nothing of it stays). Taken, the file is this caller's alone: another
   * PUT of the same upload stages anew in the upload's place and cannot replace the bytes hashed here before they
   * are committed under that hash (commitStaged) or removed (removeStaged).
   */
  async inspectStaged(uploadId: string): Promise<StagedBlob> {
    const file = `${uploadId.toLowerCase()}.${randomBytes(6).toString('hex')}.taken`;
    const path = this.#takenPath(file);
    await rename(this.#stagedPath(uploadId), path);
    // Its time is now: the sweep spares it while it is being completed, however long ago its bytes arrived.
    const now = new Date();
    await utimes(path, now, now);
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const sink = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        if (headBytes < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
          headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
        }
        done();
      },
    });
    try {
      await pipeline(await this.#decrypting(path), sink);
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return { contentHash: hash.digest('hex'), size, head: Buffer.concat(head), file };
  }

  /** Makes the inspected upload the blob of its hash (or drops it when that blob exists already). */
  async commitStaged(staged: StagedBlob): Promise<void> {
    const path = this.#takenPath(staged.file);
    const target = this.#blobPath(staged.contentHash);
    if (await this.has(staged.contentHash)) {
      await rm(path, { force: true });
      return;
    }
    await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
    await rename(path, target);
  }

  /** Drops an inspected upload that becomes no blob (refused, or the same bytes are kept already). */
  async removeStaged(staged: StagedBlob): Promise<void> {
    await rm(this.#takenPath(staged.file), { force: true });
  }

  /**
   * Removes staging files not written to since `before`: uploads never completed, and `.part` files a stopped
   * process left mid-write. A write in progress keeps its file's mtime fresh, and a staged file is only ever
   * completed before its upload expires, so with `before` earlier than the upload lifetime nothing live goes.
   */
  async sweepStaging(before: Date): Promise<number> {
    const staging = join(this.dir, 'staging');
    const names = await readdir(staging).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(staging, name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile() || info.mtime >= before) continue;
      await rm(path, { force: true });
      removed++;
    }
    return removed;
  }

  async has(contentHash: string): Promise<boolean> {
    return stat(this.#blobPath(contentHash)).then(
      () => true,
      () => false,
    );
  }

  /** The plaintext as a stream; it errors at the end if the file was tampered with (GCM tag mismatch). */
  async read(contentHash: string): Promise<Readable> {
    return this.#decrypting(this.#blobPath(contentHash));
  }

  /** The whole plaintext (ingestion parses whole files anyway, within the upload limit). */
  async readAll(contentHash: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of await this.read(contentHash)) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  async remove(contentHash: string): Promise<void> {
    await rm(this.#blobPath(contentHash), { force: true });
  }

  /** A blob file's IV and tag, and its size on disk (which `stamp` also names, with its inode and mtime). */
  async #header(path: string): Promise<BlobHeader> {
    const file = await open(path, 'r');
    try {
      const { size, ino, mtimeMs } = await file.stat();
      if (size < HEADER_BYTES + TAG_BYTES) throw new Error(`blob ${path} is truncated`);
      const header = Buffer.alloc(HEADER_BYTES);
      await file.read(header, 0, HEADER_BYTES, 0);
      if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`blob ${path} has no STB1 header`);
      const tag = Buffer.alloc(TAG_BYTES);
      await file.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
      return { iv: header.subarray(MAGIC.length), tag, size, stamp: `${ino}:${size}:${mtimeMs}` };
    } finally {
      await file.close();
    }
  }

  /** The plaintext of the blob file at `path`, its header read now unless the caller has just read it. */
  async #decrypting(path: string, header?: BlobHeader): Promise<Readable> {
    const { iv, tag, size } = header ?? (await this.#header(path));
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAuthTag(tag);
    const end = size - TAG_BYTES - 1;
    const ciphertext = end >= HEADER_BYTES ? createReadStream(path, { start: HEADER_BYTES, end }) : null;
    if (!ciphertext) {
      decipher.end();
      return decipher;
    }
    ciphertext.on('error', (err) => decipher.destroy(err));
    return ciphertext.pipe(decipher);
  }

  /**
   * Runs the whole file through GCM, its output dropped, unless it was checked with this stamp already: throws when
   * the tag does not match. A PDF reader asks for several ranges at once: they wait for the one check.
   */
  async #checkWhole(path: string, header: BlobHeader): Promise<void> {
    const { stamp } = header;
    if (this.#checked.get(path) === stamp) return;
    const key = `${path}\n${stamp}`;
    let checking = this.#checking.get(key);
    if (!checking) {
      checking = (async () => {
        const drop = new Writable({ write: (_chunk, _encoding, done) => done() });
        await pipeline(await this.#decrypting(path, header), drop);
        if (this.#checked.size >= CHECKED_MAX) this.#checked.clear();
        this.#checked.set(path, stamp);
      })().finally(() => this.#checking.delete(key));
      this.#checking.set(key, checking);
    }
    await checking;
  }

  /**
   * Bytes `start` to `end` (both included) of the plaintext, as a stream (a download's Range). GCM is counter mode
   * under its tag: block i of the plaintext is encrypted with the counter IV ‖ (i + 2), so a range decrypts from its
   * first block on with AES-CTR, reading only the blocks it covers. The tag covers the whole file, so a range is
   * served only from a blob whose whole file has been checked against it: once per file (kept by path, inode,
   * size and mtime), not at every range a viewer's PDF reader asks for. Throws RangeError outside the plaintext.
   */
  async readRange(contentHash: string, start: number, end: number): Promise<Readable> {
    const path = this.#blobPath(contentHash);
    const header = await this.#header(path);
    const { iv, size } = header;
    const plaintextBytes = size - HEADER_BYTES - TAG_BYTES;
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(end) ||
      start < 0 ||
      end < start ||
      end >= plaintextBytes
    )
      throw new RangeError(`bytes ${start}-${end} are outside a blob of ${plaintextBytes} bytes`);
    await this.#checkWhole(path, header);
    const block = Math.floor(start / BLOCK_BYTES);
    const counter = Buffer.alloc(BLOCK_BYTES);
    iv.copy(counter);
    counter.writeUInt32BE(block + 2, IV_BYTES);
    const decipher = createDecipheriv('aes-256-ctr', this.#key, counter);
    const ciphertext = createReadStream(path, {
      start: HEADER_BYTES + block * BLOCK_BYTES,
      end: HEADER_BYTES + end,
    });
    ciphertext.on('error', (err) => decipher.destroy(err));
    let skip = start - block * BLOCK_BYTES;
    const plaintext = ciphertext.pipe(decipher);
    if (skip === 0) return plaintext;
    const trim = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        const kept = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
        skip = Math.max(0, skip - chunk.length);
        done(null, kept.length ? kept : undefined);
      },
    });
    plaintext.on('error', (err) => trim.destroy(err));
    return plaintext.pipe(trim);
  }
}
