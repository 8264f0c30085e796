// The array literals knowledge's statements pass as one parameter: what PostgreSQL reads back is exactly the list
// given, whatever its words hold, and an element that is not a UUID never reaches a uuid[] literal.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { textArray, uuidArray } from '../src/domain/sql-arrays.ts';
import { subgraph } from '../src/index.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

async function readBack(literal: string, type: 'text' | 'uuid'): Promise<string[]> {
  const [row] = await t
    .em()
    .getConnection()
    .execute<{ items: string[] }[]>(`select ?::${type}[] as items`, [literal]);
  return row.items;
}

describe('textArray', () => {
  it('reads back as the same words, quotes, backslashes, commas, braces and spaces included', async () => {
    const words = [
      'plain',
      'with "quotes"',
      'back\\slash',
      'a,b',
      '{braces}',
      ' spaced ',
      '',
      'NULL',
      'zürich',
    ];
    expect(await readBack(textArray(words), 'text')).toEqual(words);
    expect(await readBack(textArray([]), 'text')).toEqual([]);
  });
});

describe('uuidArray', () => {
  it('reads back as the same ids', async () => {
    const ids = [randomUUID(), randomUUID()];
    expect(await readBack(uuidArray(ids), 'uuid')).toEqual(ids);
    expect(await readBack(uuidArray([]), 'uuid')).toEqual([]);
  });

  it('refuses an element that is not a UUID instead of writing it into the literal', () => {
    const id = randomUUID();
    for (const bad of [`${id},${randomUUID()}`, `${id}}`, 'not-an-id', '']) {
      expect(() => uuidArray([id, bad])).toThrow(TypeError);
    }
  });
});
