import { describe, expect, it } from '@jest/globals';
import { whenShort } from './when';

describe('whenShort', () => {
  const now = new Date(2026, 11, 6, 15, 30);
  it('gives the time for today, the day for earlier this year, and the year before that', () => {
    expect(whenShort(new Date(2026, 11, 6, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05');
    expect(whenShort(new Date(2026, 11, 5, 23, 59).toISOString(), now, 'en-GB')).toBe('5 Dec');
    expect(whenShort(new Date(2025, 11, 6, 9, 5).toISOString(), now, 'en-GB')).toBe('6 Dec 2025');
  });
  it('says nothing for what is not a time', () => {
    expect(whenShort('not a time', now)).toBe('');
  });
});
