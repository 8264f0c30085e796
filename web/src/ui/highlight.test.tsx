// Query words are marked in passages, case-insensitively, and passage text is never treated as markup.
import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import { highlight, queryTerms } from './highlight';

describe('highlight', () => {
  it('marks every occurrence of the query words and keeps the rest of the text', () => {
    const { container } = render(<p>{highlight('Hive temperature: the HIVE stays warm.', 'hive warm?')}</p>);
    expect([...container.querySelectorAll('mark')].map((m) => m.textContent)).toEqual([
      'Hive',
      'HIVE',
      'warm',
    ]);
    expect(container.textContent).toBe('Hive temperature: the HIVE stays warm.');
  });

  it('treats regular-expression characters and markup in the input as plain text', () => {
    expect(queryTerms('a.* (b) c++ [x]')).toEqual([]);
    const { container } = render(<p>{highlight('<img src=x onerror=alert(1)> img', 'img')}</p>);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelectorAll('mark')).toHaveLength(2);
  });
});
