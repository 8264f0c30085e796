// Plain text and Markdown. Markdown's ATX (`## Title`) and setext (`Title\n===`) headings open sections
// whose heading path is the chain of enclosing headings; headings inside fenced code are just code.
import type { ExtractedDocument, ExtractedSection } from '../types.ts';

/** The encoding text's byte-order mark names: UTF-16 in either order (as Windows saves "Unicode" text), else UTF-8. */
export function textEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * The text, in the encoding its byte-order mark names (UTF-8 without one), without the mark; invalid sequences
 * become U+FFFD rather than failing the document.
 */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder(textEncoding(bytes))
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
}

export function extractText(bytes: Uint8Array): ExtractedDocument {
  const text = decodeText(bytes).trim();
  return { sections: text ? [{ text, headingPath: [] }] : [] };
}

export function extractMarkdown(bytes: Uint8Array): ExtractedDocument {
  return { sections: markdownSections(decodeText(bytes)) };
}

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function markdownSections(markdown: string): ExtractedSection[] {
  const sections: ExtractedSection[] = [];
  const path: { level: number; title: string }[] = [];
  let body: string[] = [];
  let fence: string | null = null;
  const flush = (): void => {
    const text = body.join('\n').trim();
    if (text) sections.push({ text, headingPath: path.map((h) => h.title) });
    body = [];
  };
  const open = (level: number, title: string): void => {
    flush();
    while (path.length > 0 && path[path.length - 1].level >= level) path.pop();
    path.push({ level, title: title.trim() });
  };
  for (const line of markdown.split('\n')) {
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = null;
      body.push(line);
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      body.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      open(atx[1].length, atx[2]);
      continue;
    }
    const setext = SETEXT.exec(line);
    const previous = body[body.length - 1];
    if (
      setext &&
      previous !== undefined &&
      previous.trim() !== '' &&
      (setext[1][0] === '=' || body.length === 1 || body[body.length - 2].trim() === '')
    ) {
      body.pop();
      open(setext[1][0] === '=' ? 1 : 2, previous);
      continue;
    }
    body.push(line);
  }
  flush();
  return sections;
}
