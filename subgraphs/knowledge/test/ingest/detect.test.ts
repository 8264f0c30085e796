// File type detection: content first (magic bytes), the extension only for formats without any, and a
// clear refusal for mismatches and unsupported types.
import { describe, it, expect } from '@jest/globals';
import {
  writeDocx,
  writePdf,
  writePptx,
  writeXlsx,
  type DocumentSpec,
} from '../../../../tests/bench/corpus/writers.ts';
import { DEFAULT_EXTRACTION_LIMITS, detectFileType, extractDocument } from '../../src/ingest/index.ts';

const spec: DocumentSpec = { title: 'T', sections: [{ heading: 'H', paragraphs: ['p'] }] };
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('detectFileType', () => {
  it('recognises binary formats by content, with or without their extension', async () => {
    const docx = await writeDocx(spec);
    expect(detectFileType(await writePdf(spec), 'report.pdf')).toEqual({
      ok: true,
      fileType: 'pdf',
      contentType: 'application/pdf',
    });
    expect(detectFileType(docx, 'letter.docx')).toMatchObject({ ok: true, fileType: 'docx' });
    expect(detectFileType(docx, 'letter')).toMatchObject({ ok: true, fileType: 'docx' });
    expect(detectFileType(await writeXlsx(spec), 'sheet.xlsx')).toMatchObject({ ok: true, fileType: 'xlsx' });
    expect(detectFileType(await writePptx(spec), 'deck.pptx')).toMatchObject({ ok: true, fileType: 'pptx' });
  });

  it('takes text formats from the extension, or sniffs them without one', () => {
    const cases: [string, string, string][] = [
      ['notes.md', '# Title', 'markdown'],
      ['notes.txt', 'hello', 'text'],
      ['page.htm', '<p>x</p>', 'html'],
      ['data.json', '{"a":1}', 'json'],
      ['rows.csv', 'a,b\n1,2', 'csv'],
      ['page', '<!DOCTYPE html><html></html>', 'html'],
      ['data', ' [1,2]', 'json'],
      ['README', 'plain words', 'text'],
    ];
    for (const [name, content, type] of cases) {
      expect(detectFileType(utf8(content), name)).toMatchObject({ ok: true, fileType: type });
    }
  });

  it('reads text saved as UTF-16 with its byte-order mark (Windows "Unicode" text), in either byte order', async () => {
    const words = '# Ruches à Zürich\n\nLes abeilles 🐝 gardent la ruche au chaud.';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(words, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const bytes of [le, be]) {
      expect(detectFileType(new Uint8Array(bytes), 'notes.txt')).toMatchObject({
        ok: true,
        fileType: 'text',
      });
      expect(detectFileType(new Uint8Array(bytes), 'notes')).toMatchObject({
        ok: true,
        fileType: 'markdown',
      });
      const text = (await extractDocument(new Uint8Array(bytes), 'text', DEFAULT_EXTRACTION_LIMITS))
        .sections[0].text;
      expect(text).toBe(words);
    }
    // A mark followed by what is not UTF-16 text (a NUL character) is still binary.
    const binary = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x00, 0x00, 0x42, 0x00, 0x43, 0x00, 0x44, 0x00]);
    expect(detectFileType(binary, 'notes.txt')).toMatchObject({ ok: false });
  });

  it('refuses a name that contradicts the content', async () => {
    expect(detectFileType(utf8('just notes'), 'letter.docx')).toEqual({
      ok: false,
      message: 'letter.docx is named as Word (DOCX) but its content is plain text',
    });
    expect(detectFileType(await writePdf(spec), 'notes.txt')).toEqual({
      ok: false,
      message: 'notes.txt is named as plain text but its content is a PDF',
    });
    expect(detectFileType(await writeDocx(spec), 'deck.pptx')).toEqual({
      ok: false,
      message: 'deck.pptx is named as PowerPoint (PPTX) but its content is a Word (DOCX) file',
    });
  });

  it('refuses unsupported and empty files with a reason', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect(detectFileType(png, 'photo.png')).toEqual({
      ok: false,
      message: 'photo.png is a PNG image, which is not supported',
    });
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
    expect(detectFileType(ole, 'secret.docx')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/password-protected/),
    });
    expect(detectFileType(new Uint8Array(), 'empty.txt')).toEqual({
      ok: false,
      message: 'empty.txt is empty (0 bytes)',
    });
    expect(detectFileType(utf8('print(1)'), 'script.py')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\.py/),
    });
    expect(detectFileType(new Uint8Array([1, 2, 0, 3]), 'blob')).toMatchObject({ ok: false });
  });

  it('never takes a path from the file name', () => {
    expect(detectFileType(utf8('x'), '../../etc/passwd.md')).toMatchObject({
      ok: true,
      fileType: 'markdown',
    });
    expect(detectFileType(new Uint8Array(), '../../etc/x.txt')).toEqual({
      ok: false,
      message: 'x.txt is empty (0 bytes)',
    });
  });
});
