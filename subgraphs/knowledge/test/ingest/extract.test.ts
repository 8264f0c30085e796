// Extraction of every format with its structure kept, and of hostile or broken files: each must end as an
// ExtractionError with a reason a person understands, inside its worker, without harming other documents.
import { describe, it, expect, afterAll } from '@jest/globals';
import {
  writeCsv,
  writeDocx,
  writeHtml,
  writeJson,
  writeMarkdown,
  writePdf,
  writePptx,
  writeText,
  writeXlsx,
  type DocumentSpec,
} from '../../../../tests/bench/corpus/writers.ts';
import {
  DEFAULT_EXTRACTION_LIMITS,
  ExtractionError,
  extractDocument,
  type ExtractedDocument,
  type FileType,
} from '../../src/ingest/index.ts';
import { docxBomb, unicodePathField, writeZip } from './zip-bombs.ts';

const spec: DocumentSpec = {
  title: 'Apiary handbook',
  sections: [
    {
      heading: 'Hive inspection',
      paragraphs: ['Inspect each hive every nine days in spring.', 'Look for queen cells.'],
    },
    { heading: 'Honey harvest', paragraphs: ['Harvest when 80 percent of the frame is capped.'] },
  ],
};

const allText = (doc: ExtractedDocument) => doc.sections.map((s) => s.text).join('\n');

async function failure(promise: Promise<unknown>): Promise<ExtractionError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  return err as ExtractionError;
}

const limits = { ...DEFAULT_EXTRACTION_LIMITS, timeoutMs: 20_000 };

describe('extractDocument keeps each format’s structure', () => {
  it('PDF: one section per page with its page number', async () => {
    const doc = await extractDocument(await writePdf(spec), 'pdf', limits);
    expect(doc.sections.map((s) => s.page)).toEqual([1, 2]);
    expect(doc.sections[0].text).toContain('Inspect each hive every nine days in spring.');
    expect(doc.sections[1].text).toContain('Harvest when 80 percent of the frame is capped.');
  });

  it('DOCX: headings become the heading path (through mammoth’s Markdown)', async () => {
    const doc = await extractDocument(await writeDocx(spec), 'docx', limits);
    expect(doc.sections).toEqual([
      {
        text: 'Inspect each hive every nine days in spring.\n\nLook for queen cells.',
        headingPath: ['Apiary handbook', 'Hive inspection'],
      },
      {
        text: 'Harvest when 80 percent of the frame is capped.',
        headingPath: ['Apiary handbook', 'Honey harvest'],
      },
    ]);
  });

  it('HTML: main text under its headings; navigation, scripts, styles and footers dropped', async () => {
    const doc = await extractDocument(writeHtml(spec), 'html', limits);
    expect(doc.sections.map((s) => s.headingPath)).toEqual([
      ['Apiary handbook', 'Hive inspection'],
      ['Apiary handbook', 'Honey harvest'],
    ]);
    expect(doc.sections[0].text).toBe('Inspect each hive every nine days in spring.\nLook for queen cells.');
    const text = allText(doc);
    for (const dropped of ['Home', 'nav-script-text', 'color:#333', 'Copyright footer'])
      expect(text).not.toContain(dropped);
  });

  it('HTML without <main>: everything outside navigation and scripts, entities decoded', async () => {
    const html =
      '<html><body><nav>Menu</nav><h1>Fees &amp; dues</h1><p>Dues are 5&nbsp;€ a year.</p><script>x()</script></body></html>';
    const doc = await extractDocument(new TextEncoder().encode(html), 'html', limits);
    expect(doc.sections).toEqual([{ text: 'Dues are 5 € a year.', headingPath: ['Fees & dues'] }]);
  });

  it('HTML: a role=main element ends where it closes; what follows it is not main text', async () => {
    const html =
      '<body><div class="menu">Skip me</div><div role="main"><h1>Title</h1><p>Kept.</p></div><div>Related links</div></body>';
    const doc = await extractDocument(new TextEncoder().encode(html), 'html', limits);
    expect(doc.sections).toEqual([{ text: 'Kept.', headingPath: ['Title'] }]);
  });

  it('Markdown: ATX and setext headings nest; headings inside code fences are code', async () => {
    const md =
      'Intro line.\n\nSetext title\n============\n\nBody.\n\n## Sub\n\n```\n# not a heading\n```\n\n### Deeper\n\nLeaf.\n\n## Sibling\n\nEnd.';
    const doc = await extractDocument(new TextEncoder().encode(md), 'markdown', limits);
    expect(doc.sections).toEqual([
      { text: 'Intro line.', headingPath: [] },
      { text: 'Body.', headingPath: ['Setext title'] },
      { text: '```\n# not a heading\n```', headingPath: ['Setext title', 'Sub'] },
      { text: 'Leaf.', headingPath: ['Setext title', 'Sub', 'Deeper'] },
      { text: 'End.', headingPath: ['Setext title', 'Sibling'] },
    ]);
  });

  it('plain text: the text, line endings normalised, byte-order mark dropped', async () => {
    const doc = await extractDocument(
      new TextEncoder().encode('\uFEFFline one\r\nline two\r\n'),
      'text',
      limits,
    );
    expect(doc.sections).toEqual([{ text: 'line one\nline two', headingPath: [] }]);
    expect(allText(await extractDocument(writeText(spec), 'text', limits))).toContain(
      'Look for queen cells.',
    );
  });

  it('JSON: key paths with their values, a section per top-level key', async () => {
    const doc = await extractDocument(writeJson(spec), 'json', limits);
    expect(doc.sections[0]).toEqual({ text: 'title: Apiary handbook', headingPath: ['title'] });
    expect(doc.sections[1].headingPath).toEqual(['entries']);
    expect(doc.sections[1].text.split('\n')).toContain(
      'entries[0].note: Inspect each hive every nine days in spring.',
    );
    const odd = await extractDocument(
      new TextEncoder().encode('{"a b":{"c":[1,{"d":true}]},"e":null}'),
      'json',
      limits,
    );
    expect(odd.sections).toEqual([{ text: '["a b"].c[0]: 1\n["a b"].c[1].d: true', headingPath: ['a b'] }]);
  });

  it('CSV: each row as header: value pairs, quoted fields with commas, quotes and line breaks', async () => {
    const doc = await extractDocument(writeCsv(spec), 'csv', limits);
    expect(doc.sections[0].text.split('\n')[0]).toBe(
      'section: Hive inspection; item: 1; note: Inspect each hive every nine days in spring.',
    );
    const csv = 'name;remark\n"Smith, Ada";"said ""hi""\nthen left"\n';
    const tricky = await extractDocument(new TextEncoder().encode(csv), 'csv', limits);
    expect(tricky.sections[0].text).toBe('name: Smith, Ada; remark: said "hi"\nthen left');
  });

  it('XLSX: a section per sheet, named, rows with their headers', async () => {
    const doc = await extractDocument(await writeXlsx(spec), 'xlsx', limits);
    expect(doc.sections.map((s) => s.sheet)).toEqual(['1 Hive inspection', '2 Honey harvest']);
    expect(doc.sections[0].text).toBe(
      'item: 1; note: Inspect each hive every nine days in spring.\nitem: 2; note: Look for queen cells.',
    );
  });

  it('PPTX: slide text in slide order, with slide numbers and the slide title as heading', async () => {
    const doc = await extractDocument(await writePptx(spec), 'pptx', limits);
    expect(doc.sections.map((s) => s.slide)).toEqual([1, 2]);
    expect(doc.sections.map((s) => s.headingPath)).toEqual([['Hive inspection'], ['Honey harvest']]);
    expect(doc.sections[0].text).toBe(
      'Hive inspection\nInspect each hive every nine days in spring.\nLook for queen cells.',
    );
    expect(doc.sections[1].text).toContain('Harvest when 80 percent');
  });
});

describe('hostile and broken files end as ExtractionError', () => {
  it('a 0-byte file', async () => {
    for (const type of ['text', 'pdf', 'docx'] as FileType[]) {
      const err = await failure(extractDocument(new Uint8Array(), type, limits));
      expect(err.reason).toBe('empty');
      expect(err.message).toBe('the file is empty (0 bytes)');
    }
  });

  it('a truncated PDF', async () => {
    const pdf = await writePdf(spec);
    const err = await failure(extractDocument(pdf.subarray(0, Math.floor(pdf.length / 2)), 'pdf', limits));
    expect(err.reason).toBe('truncated');
    expect(err.message).toMatch(/PDF is incomplete/);
  });

  it('an encrypted (password-protected) PDF', async () => {
    const err = await failure(
      extractDocument(await writePdf(spec, { userPassword: 'secret' }), 'pdf', limits),
    );
    expect(err.reason).toBe('encrypted');
    expect(err.message).toBe('the PDF is password-protected; remove the password and upload it again');
  });

  it('a PDF whose insides are garbage', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\nthis is not a pdf body at all\n%%EOF\n');
    expect((await failure(extractDocument(bytes, 'pdf', limits))).message).toMatch(/PDF is damaged|no text/);
  });

  it('a DOCX that is really a renamed text file', async () => {
    const err = await failure(extractDocument(new TextEncoder().encode('just some notes\n'), 'docx', limits));
    expect(err.reason).toBe('malformed');
    expect(err.message).toBe('the file is not a real DOCX file (its content is not an Office document)');
  });

  it('a truncated DOCX, and a zip that is not a DOCX inside', async () => {
    const docx = await writeDocx(spec);
    expect(
      (await failure(extractDocument(docx.subarray(0, docx.length - 200), 'docx', limits))).reason,
    ).toMatch(/truncated|malformed/);
    const other = writeZip([{ name: 'readme.txt', data: new TextEncoder().encode('hi') }]);
    expect((await failure(extractDocument(other, 'docx', limits))).message).toMatch(
      /word\/document\.xml is missing/,
    );
  });

  it('a password-protected Office file (an OLE container, not a zip)', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const err = await failure(extractDocument(ole, 'xlsx', limits));
    expect(err.reason).toBe('encrypted');
  });

  it('a zip bomb that lies about its size stops at the declared size, not after inflating it all', async () => {
    // 64 MB of zeros squeezed to ~64 KB, declared as 1 KB: the inflate is cut off after 1 KB.
    const err = await failure(extractDocument(docxBomb(64, 1024), 'docx', limits));
    expect(err.reason).toBe('too-large');
    expect(err.message).toMatch(/zip bomb/);
  });

  it('a zip bomb that declares its size honestly is refused before inflating', async () => {
    const err = await failure(
      extractDocument(docxBomb(64), 'docx', { ...limits, maxDecompressedBytes: 16 * 1024 * 1024 }),
    );
    expect(err.reason).toBe('too-large');
    expect(err.message).toBe('the file unpacks to more than 16 MB, the limit for one document');
  });

  it('an archive that hides entries from its count or names one twice is refused; libraries read only the entries checked', async () => {
    const document = (text: string) =>
      new TextEncoder().encode(
        `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
      );
    const benign = { name: 'word/document.xml', data: document('benign') };
    // Past the decompression budget once inflated, named like the benign part that comes first.
    const hidden = { name: 'word/document.xml', data: document('x'.repeat(20 * 1024 * 1024)) };
    const small = { ...limits, maxDecompressedBytes: 1024 * 1024 };
    // The end record counts one entry; the directory holds two (libraries read both, the later name winning).
    const undercounted = Buffer.from(writeZip([benign, hidden]));
    const end = undercounted.length - 22;
    undercounted.writeUInt16LE(1, end + 8);
    undercounted.writeUInt16LE(1, end + 10);
    const hiding = await failure(extractDocument(new Uint8Array(undercounted), 'docx', small));
    expect(hiding.reason).toBe('malformed');
    expect(hiding.message).toMatch(/more than it counts/);
    const twice = await failure(
      extractDocument(writeZip([benign, { ...benign, data: document('other') }]), 'docx', limits),
    );
    expect(twice.message).toMatch(/word\/document\.xml appears twice/);
    // A second document part under another name, renamed in an Info-ZIP Unicode Path extra field (which JSZip,
    // under mammoth, honours): mammoth reads the archive written anew from the entries read here.
    const renamed = writeZip([
      { name: '[Content_Types].xml', data: new TextEncoder().encode('<Types/>') },
      benign,
      {
        name: 'word/other.xml',
        data: document('hidden words'),
        extra: unicodePathField('word/other.xml', 'word/document.xml'),
      },
    ]);
    const read = (await extractDocument(renamed, 'docx', limits)).sections.map((s) => s.text).join(' ');
    expect(read).toContain('benign');
    expect(read).not.toContain('hidden words');
  });

  it('an archive with too many entries', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({
      name: `word/part${i}.xml`,
      data: new Uint8Array(1),
    }));
    const err = await failure(
      extractDocument(writeZip(entries), 'docx', { ...limits, maxArchiveEntries: 20 }),
    );
    expect(err.message).toBe("the file's archive has 50 entries, more than the limit of 20");
  });

  it('deeply nested JSON is refused without recursing into it', async () => {
    const deep = new TextEncoder().encode('['.repeat(100_000) + ']'.repeat(100_000));
    const err = await failure(extractDocument(deep, 'json', limits));
    expect(err.reason).toBe('too-deep');
    expect(err.message).toBe('the JSON is nested 100000 levels deep, more than the limit of 100');
  });

  it('invalid JSON says where', async () => {
    const err = await failure(extractDocument(new TextEncoder().encode('{"a": 1,,}'), 'json', limits));
    expect(err.reason).toBe('malformed');
    expect(err.message).toMatch(/^the file is not valid JSON \(.+\)$/);
  });

  it('a parse beyond the time limit is stopped, and other documents are not held up', async () => {
    const big = new TextEncoder().encode(
      JSON.stringify({ rows: Array.from({ length: 200_000 }, (_, i) => ({ i })) }),
    );
    const slow = extractDocument(big, 'json', { ...limits, timeoutMs: 1 });
    const other = extractDocument(writeText(spec), 'text', limits);
    const err = await failure(slow);
    expect(err.reason).toBe('timeout');
    expect(err.message).toBe('reading the file took longer than 1 ms, the limit');
    expect(allText(await other)).toContain('queen cells');
  });

  it('a parse beyond the memory limit ends its worker, not the process', async () => {
    const rows = Array.from({ length: 250_000 }, (_, i) => ({
      id: i,
      name: `row number ${i}`,
      tags: ['a', 'b'],
    }));
    const big = new TextEncoder().encode(JSON.stringify(rows));
    const err = await failure(extractDocument(big, 'json', { ...limits, maxMemoryMb: 16 }));
    expect(err.reason).toBe('out-of-memory');
    expect(err.message).toBe('reading the file needed more than 16 MB of memory');
    // The pool recovers: the next document is read normally.
    expect(allText(await extractDocument(writeMarkdown(spec), 'markdown', limits))).toContain('capped');
  });

  it('cancellation through the AbortSignal', async () => {
    const controller = new AbortController();
    const pending = extractDocument(await writePdf(spec), 'pdf', limits, controller.signal);
    controller.abort();
    expect((await failure(pending)).reason).toBe('cancelled');
  });
});

afterAll(() => new Promise((resolve) => setTimeout(resolve, 10)));
