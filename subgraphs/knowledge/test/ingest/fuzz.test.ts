// Mutated files of every format: whatever the damage, extraction ends in a document or an ExtractionError with
// a readable reason — never another error, a crash or a hang (each run has its worker's time limit).
import { describe, it, expect, beforeAll } from '@jest/globals';
import { CORPUS_FORMATS, writeDocument } from '../../../../tests/bench/corpus/index.ts';
import {
  DEFAULT_EXTRACTION_LIMITS,
  ExtractionError,
  extractDocument,
  type ExtractedDocument,
  type FileType,
} from '../../src/ingest/index.ts';

const spec = {
  title: 'Fuzz',
  sections: [
    { heading: 'One', paragraphs: ['Alpha beta gamma.', 'Delta epsilon.'] },
    { heading: 'Two', paragraphs: ['Zeta eta theta.'] },
  ],
};

/** Seeded damage: flipped bytes, a cut, a duplicated slice, or zeroed runs. */
function mutate(bytes: Uint8Array, seed: number): Uint8Array {
  let state = seed;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % Math.max(1, n);
  };
  const out = new Uint8Array(bytes);
  switch (seed % 4) {
    case 0:
      for (let i = 0; i < 20; i++) out[next(out.length)] = next(256);
      return out;
    case 1:
      return out.subarray(0, next(out.length));
    case 2: {
      const at = next(out.length);
      return new Uint8Array([...out.subarray(0, at), ...out.subarray(next(out.length)), ...out.subarray(at)]);
    }
    default: {
      const at = next(out.length);
      out.fill(0, at, at + 64 + next(512));
      return out;
    }
  }
}

const originals = new Map<FileType, Uint8Array>();
beforeAll(async () => {
  for (const format of CORPUS_FORMATS) originals.set(format, await writeDocument(format, spec));
});

describe('extraction of damaged files', () => {
  it.each(CORPUS_FORMATS.map((f) => [f]))(
    '%s: 8 mutations each end in a document or an ExtractionError',
    async (format) => {
      const limits = { ...DEFAULT_EXTRACTION_LIMITS, timeoutMs: 15_000 };
      for (let seed = 1; seed <= 8; seed++) {
        const outcome = await extractDocument(
          mutate(originals.get(format)!, seed * 7919),
          format,
          limits,
        ).then(
          (doc): ExtractedDocument | Error => doc,
          (err: unknown) => err as Error,
        );
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(ExtractionError);
          expect(outcome.message).toMatch(/^(the |reading the file)/);
          expect(outcome.message).not.toMatch(/\n\s+at /);
        } else {
          expect(Array.isArray(outcome.sections)).toBe(true);
        }
      }
    },
  );
});
