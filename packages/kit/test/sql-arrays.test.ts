// The array literals hand-written statements pass as one parameter: what PostgreSQL reads back is exactly the list
// given, whatever its words hold, and an element that is not a UUID never reaches a uuid[] literal.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { textArray, uuidArray } from '../src/db/sql-arrays.ts';

const client = new pg.Client({
  connectionString: process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_kit',
});
beforeAll(async () => {
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

async function readBack(literal: string, type: 'text' | 'uuid'): Promise<string[]> {
  const { rows } = await client.query<{ items: string[] }>(`select $1::${type}[] as items`, [literal]);
  return rows[0].items;
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
