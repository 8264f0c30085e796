// Writes one logical document in each of the nine formats with the real writer libraries (pdfkit, docx,
// exceljs, pptxgenjs), so tests and benchmarks never need binary fixtures. A document is a title and
// sections; table-shaped formats (CSV, XLSX, JSON) get the same facts as records.
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import PptxGenJS from 'pptxgenjs';

export type CorpusFileType = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'json' | 'csv' | 'xlsx' | 'pptx';

export interface DocumentSpec {
  title: string;
  sections: { heading: string; paragraphs: string[] }[];
}

export const EXTENSION: Record<CorpusFileType, string> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  markdown: 'md',
  text: 'txt',
  json: 'json',
  csv: 'csv',
  xlsx: 'xlsx',
  pptx: 'pptx',
};

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One page per section; `userPassword` makes an encrypted PDF that needs it to open. */
export function writePdf(spec: DocumentSpec, options: { userPassword?: string } = {}): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      autoFirstPage: false,
      userPassword: options.userPassword,
      info: { Title: spec.title },
    });
    const parts: Buffer[] = [];
    pdf.on('data', (part: Buffer) => parts.push(part));
    pdf.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    pdf.on('error', reject);
    spec.sections.forEach((section, i) => {
      pdf.addPage();
      if (i === 0) pdf.fontSize(18).text(spec.title).moveDown();
      pdf.fontSize(14).text(section.heading).moveDown(0.5);
      for (const paragraph of section.paragraphs) pdf.fontSize(11).text(paragraph).moveDown(0.5);
    });
    pdf.end();
  });
}

export async function writeDocx(spec: DocumentSpec): Promise<Uint8Array> {
  const children = [new Paragraph({ text: spec.title, heading: HeadingLevel.HEADING_1 })];
  for (const section of spec.sections) {
    children.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_2 }));
    for (const paragraph of section.paragraphs) children.push(new Paragraph({ text: paragraph }));
  }
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

/** A page with navigation, a script and a footer around <main>, as real pages have. */
export function writeHtml(spec: DocumentSpec): Uint8Array {
  const body = spec.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.heading)}</h2>\n${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}`,
    )
    .join('\n');
  return utf8(
    `<!doctype html><html><head><title>${escapeHtml(spec.title)}</title><style>p{color:#333}</style></head><body>` +
      `<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav><script>var tracking = "nav-script-text";</script>` +
      `<main><h1>${escapeHtml(spec.title)}</h1>\n${body}</main><footer>Copyright footer text</footer></body></html>`,
  );
}

export function writeMarkdown(spec: DocumentSpec): Uint8Array {
  const body = spec.sections.map((s) => `## ${s.heading}\n\n${s.paragraphs.join('\n\n')}`).join('\n\n');
  return utf8(`# ${spec.title}\n\n${body}\n`);
}

export function writeText(spec: DocumentSpec): Uint8Array {
  const body = spec.sections.map((s) => `${s.heading}\n\n${s.paragraphs.join('\n\n')}`).join('\n\n');
  return utf8(`${spec.title}\n\n${body}\n`);
}

/** Records: one per paragraph, with the section as a field. */
function records(spec: DocumentSpec): { section: string; item: number; note: string }[] {
  return spec.sections.flatMap((s) =>
    s.paragraphs.map((note, i) => ({ section: s.heading, item: i + 1, note })),
  );
}

export function writeJson(spec: DocumentSpec): Uint8Array {
  return utf8(JSON.stringify({ title: spec.title, entries: records(spec) }, null, 2));
}

export function writeCsv(spec: DocumentSpec): Uint8Array {
  const quote = (v: string | number): string =>
    /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  const rows = records(spec).map((r) => [r.section, r.item, r.note].map(quote).join(','));
  return utf8(['section,item,note', ...rows].join('\r\n') + '\r\n');
}

/** One sheet per section. */
export async function writeXlsx(spec: DocumentSpec): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  spec.sections.forEach((section, i) => {
    const sheet = workbook.addWorksheet(
      `${i + 1} ${section.heading}`.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '),
    );
    sheet.addRow(['item', 'note']);
    section.paragraphs.forEach((p, j) => sheet.addRow([j + 1, p]));
  });
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** One slide per section, its heading as the slide title. */
export async function writePptx(spec: DocumentSpec): Promise<Uint8Array> {
  // The package's types declare an ES default export over a CommonJS build; take whichever is the class.
  const module = PptxGenJS as unknown as { default?: unknown };
  const Deck = (module.default ?? PptxGenJS) as typeof PptxGenJS.default;
  const deck = new Deck();
  deck.title = spec.title;
  deck.defineSlideMaster({
    title: 'TITLED',
    objects: [
      { placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.3, w: 9, h: 0.8 }, text: '' } },
    ],
  });
  for (const section of spec.sections) {
    const slide = deck.addSlide({ masterName: 'TITLED' });
    slide.addText(section.heading, { placeholder: 'title', fontSize: 24 });
    slide.addText(section.paragraphs.join('\n'), { x: 0.5, y: 1.2, w: 9, h: 4, fontSize: 12 });
  }
  const out = await deck.write({ outputType: 'nodebuffer' });
  return new Uint8Array(out as Buffer);
}

export async function writeDocument(fileType: CorpusFileType, spec: DocumentSpec): Promise<Uint8Array> {
  switch (fileType) {
    case 'pdf':
      return writePdf(spec);
    case 'docx':
      return writeDocx(spec);
    case 'html':
      return writeHtml(spec);
    case 'markdown':
      return writeMarkdown(spec);
    case 'text':
      return writeText(spec);
    case 'json':
      return writeJson(spec);
    case 'csv':
      return writeCsv(spec);
    case 'xlsx':
      return writeXlsx(spec);
    case 'pptx':
      return writePptx(spec);
  }
}
