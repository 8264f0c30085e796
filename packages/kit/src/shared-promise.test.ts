import { describe, it, expect } from '@jest/globals';
import { sharedPromise } from './shared-promise.ts';

describe('sharedPromise', () => {
  it('starts the work for a key once, and again after it failed', async () => {
    const store = new Map<string, Promise<number>>();
    let starts = 0;
    const work = (fail: boolean) => () => (
      ++starts,
      fail ? Promise.reject(new Error('no')) : Promise.resolve(starts)
    );
    const [a, b] = [sharedPromise(store, 'k', work(false)), sharedPromise(store, 'k', work(false))];
    expect(a).toBe(b);
    expect(await a).toBe(1);
    expect(await sharedPromise(store, 'k', work(false))).toBe(1);
    await expect(sharedPromise(store, 'f', work(true))).rejects.toThrow('no');
    expect(store.has('f')).toBe(false);
    expect(await sharedPromise(store, 'f', work(false))).toBe(3);
    expect(starts).toBe(3);
  });
});
