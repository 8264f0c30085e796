// A bounded reading of a zip archive (DOCX, XLSX and PPTX are zips) before any library touches it: the
// entry count, the declared sizes AND the bytes actually inflated are capped, so a zip bomb stops early
// instead of filling memory. Libraries (mammoth, exceljs) get the archive only once it passed.
import { inflateRawSync } from 'node:zlib';
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
    entries.push(entry);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
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
