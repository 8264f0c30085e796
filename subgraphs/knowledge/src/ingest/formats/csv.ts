// CSV: RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes), the delimiter guessed
// from the first line; each row becomes `Header: value; Header: value` so a row stands alone in a chunk.
import type { ExtractedDocument } from '../types.ts';
import { decodeText } from './text.ts';

export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = [',', ';', '\t', '|'].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Rows as `Header: value` pairs; cells without a header are named by their column number. */
export function describeRows(rows: readonly (readonly string[])[]): string {
  const [header = [], ...body] = rows;
  const names = header.map((h, i) => h.trim() || `column ${i + 1}`);
  return body
    .map((row) =>
      row
        .map((cell, i) => [names[i] ?? `column ${i + 1}`, cell.trim()] as const)
        .filter(([, cell]) => cell !== '')
        .map(([name, cell]) => `${name}: ${cell}`)
        .join('; '),
    )
    .filter((line) => line !== '')
    .join('\n');
}

export function extractCsv(bytes: Uint8Array): ExtractedDocument {
  const rows = parseCsv(decodeText(bytes));
  const text = rows.length === 1 ? rows[0].join('; ') : describeRows(rows);
  return { sections: text ? [{ text, headingPath: [] }] : [] };
}
