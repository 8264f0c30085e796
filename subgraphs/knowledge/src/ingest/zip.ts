// A bounded reading of a zip archive (DOCX, XLSX and PPTX are zips) before any library touches it: the
// entry count, the declared sizes AND the bytes actually inflated are capped, so a zip bomb stops early
// instead of filling memory. Libraries (mammoth, exceljs) never get the uploaded archive: they get one written
// anew from the entries read here (archiveOf), so no trick of the zip format that makes a library read other
// entries than this reader did (a directory holding more than its count, an end record in a comment, a name
// set again in an extra field) reaches them.
import { crc32, inflateRawSync } from 'node:zlib';
import { ExtractionError } from './errors.ts';

export interface ZipLimits {
  maxArchiveEntries: number;
  maxDecompressedBytes: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MB = 1024 * 1024;

const damaged = (what: string): ExtractionError =>
  new ExtractionError('malformed', `the file is damaged: its zip structure is broken (${what})`);

function tooLarge(message: string): ExtractionError {
  return new ExtractionError('too-large', message);
}

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function readCentralDirectory(bytes: Uint8Array, limits: ZipLimits): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new ExtractionError('truncated', 'the file is incomplete or damaged: its zip directory is missing');
  }
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    throw new ExtractionError(
      'unsupported',
      'the file is a ZIP64 archive, which is not supported for documents',
    );
  }
  if (count > limits.maxArchiveEntries) {
    throw tooLarge(
      `the file's archive has ${count} entries, more than the limit of ${limits.maxArchiveEntries}`,
    );
  }
  if (dirOffset + dirSize > eocd) throw damaged('directory out of range');
  const entries: CentralEntry[] = [];
  const names = new Set<string>();
  let declared = 0;
  let at = dirOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== CENTRAL) throw damaged('bad directory entry');
    const nameLength = view.getUint16(at + 28, true);
    const entry: CentralEntry = {
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    if (entry.flags & 0x1) {
      throw new ExtractionError(
        'encrypted',
        'the file is password-protected; remove the password and upload it again',
      );
    }
    declared += entry.size;
    if (declared > limits.maxDecompressedBytes) {
      throw tooLarge(
        `the file unpacks to more than ${Math.round(limits.maxDecompressedBytes / MB)} MB, the limit for one document`,
      );
    }
    // Two entries of one name: which one a reader takes is its own choice.
    if (names.has(entry.name)) throw damaged(`${entry.name} appears twice`);
    names.add(entry.name);
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  // Exactly the entries the end record counts: a reader that goes on while entries follow would find others.
  if (at + 4 <= bytes.length && view.getUint32(at, true) === CENTRAL)
    throw damaged('the directory holds more than it counts');
  return entries;
}

/**
 * Inflates every entry within the budget and returns them by name. Declared sizes are checked against what
 * really comes out: an archive that lies about them is refused, as is one that inflates past the budget.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = readCentralDirectory(bytes, limits);
  const files = new Map<string, Uint8Array>();
  let budget = limits.maxDecompressedBytes;
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL)
      throw damaged(`bad header for ${entry.name}`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > bytes.length) {
      throw new ExtractionError('truncated', 'the file is incomplete: it ends in the middle of its contents');
    }
    const data = bytes.subarray(start, end);
    let out: Uint8Array;
    if (entry.method === 0) out = data;
    else if (entry.method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, Math.min(budget, entry.size + 1)) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          throw tooLarge(
            `the file unpacks to more than it declares or more than ${Math.round(limits.maxDecompressedBytes / MB)} MB (a zip bomb?)`,
          );
        }
        throw damaged(`${entry.name} cannot be decompressed`);
      }
    } else
      throw new ExtractionError(
        'unsupported',
        `the file uses an unsupported zip compression (method ${entry.method})`,
      );
    if (out.length !== entry.size) throw damaged(`${entry.name} is not the size it declares`);
    budget -= out.length;
    if (budget < 0) throw tooLarge('the file unpacks to more than the limit for one document (a zip bomb?)');
    if (!entry.name.endsWith('/')) files.set(entry.name, out);
  }
  return files;
}

/**
 * A zip archive of exactly `files`, stored uncompressed with UTF-8 names: what the libraries read, so they see the
 * entries this reader checked and nothing else (their sizes already within the budget).
 */
export function archiveOf(files: ReadonlyMap<string, Uint8Array>): Buffer {
  const parts: Uint8Array[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const encodedName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // Local and central headers share a run of fields (version … name length), 2 bytes further on in the latter.
    const fields = (header: Buffer, at: number): Buffer => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(0x0800, at + 2); // flags: the name is UTF-8
      header.writeUInt16LE(0, at + 4); // stored
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(data.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(encodedName.length, at + 22);
      return header;
    };
    const local = fields(Buffer.alloc(30), 4);
    local.writeUInt32LE(LOCAL, 0);
    const central = fields(Buffer.alloc(46), 6);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt32LE(offset, 42);
    parts.push(local, encodedName, data);
    directory.push(central, encodedName);
    offset += local.length + encodedName.length + data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(files.size, 8);
  end.writeUInt16LE(files.size, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directoryBytes, end]);
}
