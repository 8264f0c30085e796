// Chunking: ~targetChars pieces with ~15% overlap that follow the structure and point back into the text.
import { describe, it, expect } from '@jest/globals';
import { chunkDocument, type ExtractedDocument } from '../../src/ingest/index.ts';
import { documentText } from '../../src/ingest/chunk.ts';

const sentence = (i: number) => `Sentence number ${i} says something about honey bees and their hives. `;
const long = Array.from({ length: 60 }, (_, i) => sentence(i)).join('');

describe('chunkDocument', () => {
  const doc: ExtractedDocument = {
    sections: [
      { text: 'Short intro.', headingPath: ['Guide'] },
      { text: long, headingPath: ['Guide', 'Details'], page: 2 },
      { text: 'Slide words.', headingPath: [], slide: 3 },
      { text: 'a: 1; b: 2', headingPath: ['Sheet1'], sheet: 'Sheet1' },
    ],
  };
  const chunks = chunkDocument(doc);
  const full = documentText(doc);

  it('numbers chunks in order and points each at its exact text', () => {
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) expect(full.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
  });

  it('never crosses a heading, page, slide or sheet, and records where each chunk is', () => {
    expect(chunks[0]).toMatchObject({
      text: 'Short intro.',
      headingPath: ['Guide'],
      page: null,
      slide: null,
      sheet: null,
    });
    const details = chunks.filter((c) => c.page === 2);
    expect(details.length).toBeGreaterThan(3);
    for (const c of details) expect(c.headingPath).toEqual(['Guide', 'Details']);
    expect(chunks.at(-2)).toMatchObject({ text: 'Slide words.', slide: 3 });
    expect(chunks.at(-1)).toMatchObject({ text: 'a: 1; b: 2', sheet: 'Sheet1', headingPath: ['Sheet1'] });
  });

  it('cuts long sections near the target at sentence ends, overlapping by about 15%', () => {
    const details = chunks.filter((c) => c.page === 2);
    for (const c of details.slice(0, -1)) {
      expect(c.text.length).toBeGreaterThan(500);
      expect(c.text.length).toBeLessThanOrEqual(1001);
      expect(c.text).toMatch(/\.$/);
    }
    for (let i = 1; i < details.length; i++) {
      const overlap = details[i - 1].charEnd - details[i].charStart;
      expect(overlap).toBeGreaterThan(100);
      expect(overlap).toBeLessThanOrEqual(150);
    }
    // Together the pieces cover the whole section.
    expect(details[0].charStart).toBe(full.indexOf(long));
    expect(details.at(-1)!.charEnd).toBe(full.indexOf(long) + long.trimEnd().length);
  });

  it('honours targetChars and overlapRatio, and cuts unbroken text anyway', () => {
    const unbroken = { sections: [{ text: 'x'.repeat(2500), headingPath: [] }] };
    const pieces = chunkDocument(unbroken, { targetChars: 500, overlapRatio: 0.1 });
    expect(pieces.map((c) => [c.charStart, c.charEnd])).toEqual([
      [0, 500],
      [450, 950],
      [900, 1400],
      [1350, 1850],
      [1800, 2300],
      [2250, 2500],
    ]);
  });

  it('gives no chunks for an empty document or whitespace-only sections', () => {
    expect(chunkDocument({ sections: [] })).toEqual([]);
    expect(chunkDocument({ sections: [{ text: '  \n ', headingPath: [] }] })).toEqual([]);
  });
});
