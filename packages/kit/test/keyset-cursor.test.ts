// kit's keyset paging: the one page-size check every list uses, opaque cursors that refuse what PostgreSQL would
// (the client's 400, never a 500), pages that know whether another follows, the "rows after" condition, and the
// pages of many parents read together.
import { describe, it, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  afterKey,
  decodeCursor,
  encodeCursor,
  groupedPages,
  keysetPage,
  MAX_PAGE_SIZE,
  pageArgs,
  pageSize,
} from '../src/keyset-cursor.ts';
import { BadUserInputError } from '../src/errors.ts';

const bounds = { default: 50, max: 200 };

function refusal(run: () => unknown): { message: string; field?: string } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BadUserInputError);
    return { message: (err as Error).message, field: (err as BadUserInputError).details?.field as string };
  }
  throw new Error('not refused');
}

describe('pageSize', () => {
  it('takes the default when first is missing or null, and any whole number within the bounds', () => {
    expect(pageSize(undefined, bounds)).toBe(50);
    expect(pageSize(null, bounds)).toBe(50);
    expect(pageSize(1, bounds)).toBe(1);
    expect(pageSize(200, bounds)).toBe(200);
  });

  it('refuses 0, past the maximum, fractions and NaN with one message naming the argument', () => {
    for (const first of [0, -3, 201, 2.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(refusal(() => pageSize(first, bounds))).toEqual({
        message: 'first must be between 1 and 200',
        field: 'first',
      });
    expect(refusal(() => pageSize(0, { default: 50, max: 100 }, 'last'))).toEqual({
      message: 'last must be between 1 and 100',
      field: 'last',
    });
  });

  it('never serves more than MAX_PAGE_SIZE, whatever bounds a list gives', () => {
    const generous = { default: 50, max: MAX_PAGE_SIZE * 2 };
    expect(pageSize(MAX_PAGE_SIZE, generous)).toBe(MAX_PAGE_SIZE);
    expect(refusal(() => pageSize(MAX_PAGE_SIZE + 1, generous))).toEqual({
      message: `first must be between 1 and ${MAX_PAGE_SIZE}`,
      field: 'first',
    });
  });
});

describe('pageArgs', () => {
  it('checks the size, then the cursor, and reads a missing cursor as the first page', () => {
    const key = { createdAt: new Date('2026-12-01T10:00:00Z'), id: randomUUID() };
    expect(pageArgs({}, bounds)).toEqual({ first: 50, after: null });
    expect(pageArgs({ first: 3, after: encodeCursor(key) }, bounds)).toEqual({ first: 3, after: key });
    expect(refusal(() => pageArgs({ first: 0, after: 'page-two' }, bounds)).field).toBe('first');
    expect(refusal(() => pageArgs({ first: 3, after: 'page-two' }, bounds)).field).toBe('after');
  });
});

describe('cursors', () => {
  it('round-trips a key, and refuses forged ones as the named argument', () => {
    const key = { createdAt: new Date('2026-12-01T10:00:00.123Z'), id: randomUUID() };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'page-two',
      forge(['2026-12-01T10:00:00Z', 'not-a-uuid']),
      forge(['+275760-09-13T00:00:00Z', randomUUID()]),
      forge([12, randomUUID()]),
      forge({}),
    ])
      expect(refusal(() => decodeCursor(cursor, 'before')).message).toBe('before is not a valid cursor');
  });

  it('cuts a page from first + 1 rows: the extra row only says another page follows', () => {
    const rows = [1, 2, 3].map((n) => ({ createdAt: new Date(n * 1000), id: randomUUID() }));
    const page = keysetPage(rows, 2);
    expect(page.nodes).toEqual(rows.slice(0, 2));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor!)).toEqual(rows[1]);
    expect(keysetPage(rows, 3).pageInfo.hasNextPage).toBe(false);
    expect(keysetPage([], 3).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('writes the rows after a key for newest first, oldest first and a mixed id order', () => {
    const key = { createdAt: new Date('2026-12-01T10:00:00Z'), id: randomUUID() };
    expect(afterKey(key)).toEqual({
      $or: [{ createdAt: { $lt: key.createdAt } }, { createdAt: key.createdAt, id: { $lt: key.id } }],
    });
    expect(afterKey(key, { order: 'asc' })).toEqual({
      $or: [{ createdAt: { $gt: key.createdAt } }, { createdAt: key.createdAt, id: { $gt: key.id } }],
    });
    expect(afterKey(key, { field: 'updatedAt', idOrder: 'asc' })).toEqual({
      $or: [{ updatedAt: { $lt: key.createdAt } }, { updatedAt: key.createdAt, id: { $gt: key.id } }],
    });
  });
});

describe('groupedPages', () => {
  it('reads the parents asking for the same page together, and answers a bad key with its own error', async () => {
    const rows = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ createdAt: new Date(i * 1000), id: randomUUID() }));
    const lists = new Map([
      ['a', rows(3)],
      ['b', rows(1)],
      ['c', rows(5)],
    ]);
    const reads: [string[], number, boolean][] = [];
    const pages = await groupedPages(
      [
        { parent: 'a', first: 2 },
        { parent: 'b', first: 2 },
        { parent: 'c' },
        { parent: 'a', first: 0 },
        { parent: 'c', after: 'page-two' },
      ],
      (key) => key.parent,
      { default: 4, max: 10 },
      async (parents, first, after) => {
        reads.push([parents, first, after !== null]);
        return new Map(parents.map((p) => [p, lists.get(p)!.slice(0, first + 1)]));
      },
    );
    expect(reads).toEqual([
      [['a', 'b'], 2, false],
      [['c'], 4, false],
    ]);
    const [a, b, c, badFirst, badCursor] = pages;
    expect(a).toMatchObject({ nodes: lists.get('a')!.slice(0, 2), pageInfo: { hasNextPage: true } });
    expect(b).toMatchObject({ nodes: lists.get('b'), pageInfo: { hasNextPage: false } });
    expect(c).toMatchObject({ nodes: lists.get('c')!.slice(0, 4), pageInfo: { hasNextPage: true } });
    expect((badFirst as Error).message).toBe('first must be between 1 and 10');
    expect((badCursor as Error).message).toBe('after is not a valid cursor');
  });
});
