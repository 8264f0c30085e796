// Hand-built zip archives for the hostile-file tests: a writer small enough to make archives lie about
// their sizes, which no well-behaved zip library would produce.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** The uncompressed size written in the headers (default: the true one). */
  declaredSize?: number;
  /** Store instead of deflate. */
  stored?: boolean;
  /** Extra fields of its directory entry. */
  extra?: Uint8Array;
}

export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.stored ? Buffer.from(entry.data) : deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    // Local and central headers share one run of fields (method … name length), 2 bytes further on in the latter.
    const fields = (header: Buffer, at: number): Buffer => {
      header.writeUInt16LE(entry.stored ? 0 : 8, at);
      header.writeUInt32LE(crc, at + 6);
      header.writeUInt32LE(body.length, at + 10);
      header.writeUInt32LE(size, at + 14);
      header.writeUInt16LE(name.length, at + 18);
      return header;
    };
    const local = fields(Buffer.alloc(30), 8);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    const central = fields(Buffer.alloc(46), 10);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(offset, 42);
    const extra = Buffer.from(entry.extra ?? []);
    central.writeUInt16LE(extra.length, 30);
    locals.push(local, name, body);
    centrals.push(central, name, extra);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** A "DOCX" whose document part inflates to `megabytes` of zeros while declaring `declaredSize` bytes. */
export function docxBomb(megabytes: number, declaredSize?: number): Uint8Array {
  return writeZip([
    { name: '[Content_Types].xml', data: new TextEncoder().encode(CONTENT_TYPES) },
    { name: 'word/document.xml', data: new Uint8Array(megabytes * 1024 * 1024), declaredSize },
  ]);
}

/** An Info-ZIP Unicode Path extra field: readers that honour it take `name` for the entry named `original`. */
export function unicodePathField(original: string, name: string): Uint8Array {
  const path = Buffer.from(name);
  const field = Buffer.alloc(4 + 5 + path.length);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + path.length, 2);
  field.writeUInt8(1, 4); // version
  field.writeUInt32LE(crc32(Buffer.from(original)), 5);
  path.copy(field, 9);
  return new Uint8Array(field);
}
