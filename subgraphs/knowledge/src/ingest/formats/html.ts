// HTML: the readable main text only. Scripts, styles, navigation, headers, footers and forms are dropped;
// when the page marks its main content (<main>, <article>, role=main), only that is kept. h1–h6 open sections.
import { Parser } from 'htmlparser2';
import type { ExtractedDocument, ExtractedSection } from '../types.ts';
import { decodeText } from './text.ts';

const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'svg',
  'canvas',
  'iframe',
  'object',
  'head',
  'title',
  'menu',
  'dialog',
]);
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'li',
  'ul',
  'ol',
  'table',
  'tr',
  'blockquote',
  'pre',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'main',
  'article',
  'br',
  'hr',
  'address',
  'details',
  'summary',
]);
const HEADING = /^h([1-6])$/;

interface Block {
  text: string;
  headingPath: string[];
  inMain: boolean;
}

export function extractHtml(bytes: Uint8Array): ExtractedDocument {
  const blocks: Block[] = [];
  const path: { level: number; title: string }[] = [];
  const stack: { name: string; main: boolean }[] = [];
  let skipDepth = 0;
  let mainDepth = 0;
  let heading: { level: number; text: string } | null = null;
  let text = '';
  const flush = (): void => {
    const clean = text
      .replace(/[ \t\f\v\u00a0]+/g, ' ')
      .replace(/ *\n[ \n]*/g, '\n')
      .trim();
    if (clean) blocks.push({ text: clean, headingPath: path.map((h) => h.title), inMain: mainDepth > 0 });
    text = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const entry = { name, main: false };
        if (!VOID.has(name)) stack.push(entry);
        if (
          skipDepth > 0 ||
          SKIPPED.has(name) ||
          attributes.hidden !== undefined ||
          attributes.role === 'navigation'
        ) {
          if (!VOID.has(name)) skipDepth++;
          return;
        }
        if (name === 'main' || name === 'article' || attributes.role === 'main') {
          flush();
          mainDepth++;
          entry.main = true;
        }
        const level = HEADING.exec(name)?.[1];
        if (level) {
          flush();
          heading = { level: Number(level), text: '' };
        } else if (BLOCK.has(name)) text += '\n';
        else if (name === 'td' || name === 'th') text += ' | ';
      },
      ontext(data) {
        if (skipDepth > 0) return;
        if (heading) heading.text += data;
        else text += data;
      },
      onclosetag(name, implied) {
        if (VOID.has(name) && !implied) return;
        if (VOID.has(name)) return;
        const open = stack.findLastIndex((e) => e.name === name);
        if (open < 0) return;
        const closing = stack.splice(open);
        for (const { name: tag, main } of closing.reverse()) {
          if (skipDepth > 0) {
            skipDepth--;
            continue;
          }
          if (main) {
            flush();
            mainDepth = Math.max(0, mainDepth - 1);
          }
          const level = HEADING.exec(tag)?.[1];
          if (level && heading) {
            const title = heading.text.replace(/\s+/g, ' ').trim();
            heading = null;
            if (title) {
              while (path.length > 0 && path[path.length - 1].level >= Number(level)) path.pop();
              path.push({ level: Number(level), title });
            }
          } else if (BLOCK.has(tag)) text += '\n';
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(decodeText(bytes));
  parser.end();
  flush();
  const main = blocks.some((b) => b.inMain) ? blocks.filter((b) => b.inMain) : blocks;
  return { sections: mergeByHeading(main) };
}

/** Adjacent blocks under the same heading become one section. */
function mergeByHeading(blocks: Block[]): ExtractedSection[] {
  const sections: ExtractedSection[] = [];
  for (const block of blocks) {
    const last = sections[sections.length - 1];
    if (last && last.headingPath.join('\u0000') === block.headingPath.join('\u0000'))
      last.text += '\n' + block.text;
    else sections.push({ text: block.text, headingPath: block.headingPath });
  }
  return sections;
}
