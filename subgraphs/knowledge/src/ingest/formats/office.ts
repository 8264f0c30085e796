// DOCX, XLSX and PPTX: zips checked by our bounded reader first (zip.ts), then read with structure kept, from the
// entries it read (the libraries get an archive written anew from them, never the uploaded one) —
// DOCX through mammoth as Markdown (headings survive), XLSX through exceljs sheet by sheet, PPTX slide by slide.
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { ExtractionError } from '../errors.ts';
import type { ExtractedDocument, ExtractedSection } from '../types.ts';
import { archiveOf, readZip, type ZipLimits } from '../zip.ts';
import { describeRows } from './csv.ts';
import { markdownSections } from './text.ts';

const OLE = [0xd0, 0xcf, 0x11, 0xe0];

/** Password-protected Office files are not zips but OLE containers (as are legacy .doc/.xls/.ppt). */
function openArchive(bytes: Uint8Array, limits: ZipLimits, label: string): Map<string, Uint8Array> {
  if (OLE.every((b, i) => bytes[i] === b)) {
    throw new ExtractionError(
      'encrypted',
      `the ${label} file is password-protected or in the old binary Office format; save it unprotected as ${label} and upload it again`,
    );
  }
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new ExtractionError(
      'malformed',
      `the file is not a real ${label} file (its content is not an Office document)`,
    );
  }
  return readZip(bytes, limits);
}

function requireEntry(files: Map<string, Uint8Array>, name: string, label: string): Uint8Array {
  const entry = files.get(name);
  if (!entry)
    throw new ExtractionError('malformed', `the file is not a valid ${label} file (${name} is missing)`);
  return entry;
}

// mammoth escapes Markdown punctuation and writes bookmarks as empty anchors; neither is text.
function cleanMammothMarkdown(markdown: string): string {
  return markdown
    .replace(/<a id="[^"]*"><\/a>/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!>|])/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2');
}

export async function extractDocx(bytes: Uint8Array, limits: ZipLimits): Promise<ExtractedDocument> {
  const files = openArchive(bytes, limits, 'DOCX');
  requireEntry(files, 'word/document.xml', 'DOCX');
  const convert = (mammoth as unknown as { convertToMarkdown: typeof mammoth.convertToHtml })
    .convertToMarkdown;
  let markdown: string;
  try {
    markdown = (await convert({ buffer: archiveOf(files) })).value;
  } catch (err) {
    throw new ExtractionError('malformed', 'the DOCX file is damaged and cannot be read', { cause: err });
  }
  return { sections: markdownSections(cleanMammothMarkdown(markdown)) };
}

export async function extractXlsx(bytes: Uint8Array, limits: ZipLimits): Promise<ExtractedDocument> {
  const files = openArchive(bytes, limits, 'XLSX');
  requireEntry(files, 'xl/workbook.xml', 'XLSX');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(archiveOf(files) as never);
  } catch (err) {
    throw new ExtractionError('malformed', 'the XLSX file is damaged and cannot be read', { cause: err });
  }
  const sections: ExtractedSection[] = [];
  workbook.eachSheet((sheet) => {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cells[column - 1] = cell.text ?? '';
      });
      rows.push(Array.from(cells, (c) => c ?? ''));
    });
    const text = rows.length === 1 ? rows[0].join('; ') : describeRows(rows);
    if (text) sections.push({ text, headingPath: [sheet.name], sheet: sheet.name });
  });
  return { sections };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[name] ?? whole;
  });
}

/** The text of each paragraph (`<a:p>`) in a slide part, runs joined, in document order. */
function paragraphs(xml: string): string[] {
  const out: string[] = [];
  for (const [paragraph] of xml.matchAll(/<a:p[ >][\s\S]*?<\/a:p>/g)) {
    const runs = [...paragraph.matchAll(/<a:t(?:\s[^>]*)?>([^<]*)<\/a:t>|<a:br\s*\/>/g)];
    const text = runs
      .map((r) => (r[0].startsWith('<a:br') ? '\n' : decodeXml(r[1])))
      .join('')
      .trim();
    if (text) out.push(text);
  }
  return out;
}

/** Slide part names in presentation order (presentation.xml's list, resolved through its relationships). */
function slideOrder(files: Map<string, Uint8Array>): string[] {
  const decode = (name: string): string => new TextDecoder().decode(files.get(name) ?? new Uint8Array());
  const rels = new Map<string, string>();
  for (const [, attrs] of decode('ppt/_rels/presentation.xml.rels').matchAll(/<Relationship\s([^>]*)>/g)) {
    const id = /\bId="([^"]+)"/.exec(attrs)?.[1];
    const target = /\bTarget="([^"]+)"/.exec(attrs)?.[1];
    if (id && target) rels.set(id, 'ppt/' + target.replace(/^\/?(ppt\/)?/, ''));
  }
  const listed = [...decode('ppt/presentation.xml').matchAll(/<p:sldId\s[^>]*r:id="([^"]+)"/g)]
    .map((m) => rels.get(m[1]))
    .filter((name): name is string => name !== undefined && files.has(name));
  if (listed.length > 0) return listed;
  const number = (name: string): number => Number(/(\d+)\.xml$/.exec(name)?.[1] ?? 0);
  return [...files.keys()]
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => number(a) - number(b));
}

export function extractPptx(bytes: Uint8Array, limits: ZipLimits): ExtractedDocument {
  const files = openArchive(bytes, limits, 'PPTX');
  requireEntry(files, 'ppt/presentation.xml', 'PPTX');
  const sections: ExtractedSection[] = [];
  slideOrder(files).forEach((name, index) => {
    const xml = new TextDecoder().decode(files.get(name));
    let title: string | undefined;
    for (const [shape] of xml.matchAll(/<p:sp>[\s\S]*?<\/p:sp>/g)) {
      if (/<p:ph\s[^>]*type="(?:title|ctrTitle)"/.test(shape)) title = paragraphs(shape).join(' ');
    }
    const text = paragraphs(xml).join('\n');
    if (text) sections.push({ text, headingPath: title ? [title] : [], slide: index + 1 });
  });
  return { sections };
}
