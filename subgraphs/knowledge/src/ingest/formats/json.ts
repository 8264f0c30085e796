// JSON: one line per value with its key path (`orders[2].customer.name: Ada`), a section per top-level key.
// Nesting is measured before parsing, so a hostile depth is refused without recursing into it.
import { ExtractionError } from '../errors.ts';
import type { ExtractedDocument, ExtractedSection } from '../types.ts';
import { decodeText } from './text.ts';

/** The deepest nesting of objects and arrays, found by one pass that skips strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

const KEY = /^[A-Za-z_$][\w$-]*$/;
const keyStep = (key: string): string => (KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

export function extractJson(bytes: Uint8Array, maxDepth: number): ExtractedDocument {
  const text = decodeText(bytes);
  const depth = jsonDepth(text);
  if (depth > maxDepth) {
    throw new ExtractionError(
      'too-deep',
      `the JSON is nested ${depth} levels deep, more than the limit of ${maxDepth}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ExtractionError('malformed', `the file is not valid JSON (${(err as Error).message})`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const sections: ExtractedSection[] = [];
    for (const [key, child] of Object.entries(value)) {
      const lines: string[] = [];
      walk(child, keyStep(key).replace(/^\./, ''), lines);
      if (lines.length > 0) sections.push({ text: lines.join('\n'), headingPath: [key] });
    }
    return { sections };
  }
  const lines: string[] = [];
  walk(value, '', lines);
  return { sections: lines.length > 0 ? [{ text: lines.join('\n'), headingPath: [] }] : [] };
}

function walk(value: unknown, path: string, lines: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, lines));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) walk(child, path ? path + keyStep(key) : key, lines);
  } else if (value !== null && value !== '') {
    lines.push(path ? `${path}: ${String(value)}` : String(value));
  }
}
