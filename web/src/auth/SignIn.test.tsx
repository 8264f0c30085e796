// After signing in the app returns to `from`, which comes from the URL: it must never lead off the site.
import { describe, expect, it } from '@jest/globals';
import { safeReturnPath } from './SignIn';

describe('safeReturnPath', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnPath('/beeacon')).toBe('/beeacon');
    expect(safeReturnPath('/jars/123?tab=docs')).toBe('/jars/123?tab=docs');
  });

  it('refuses anything that leaves the origin, and falls back to the jar list', () => {
    for (const from of [
      null,
      '',
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ])
      expect(safeReturnPath(from)).toBe('/jars');
  });
});
