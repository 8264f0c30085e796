// Words are marked in passages, whole and case-insensitively, and passage text is never treated as markup.
import { describe, expect, it } from '@jest/globals';
import { render } from '@testing-library/react';
import { highlight, markedWords } from './highlight';

const marks = (container: HTMLElement) => [...container.querySelectorAll('mark')].map((m) => m.textContent);

describe('highlight', () => {
  it('marks every whole occurrence of the words and keeps the rest of the text', () => {
    const { container } = render(
      <p>{highlight('Hive temperature: the HIVE stays warm; beehives warmer.', ['hive', 'WARM'])}</p>,
    );
    expect(marks(container)).toEqual(['Hive', 'HIVE', 'warm']);
    expect(container.textContent).toBe('Hive temperature: the HIVE stays warm; beehives warmer.');
    // Emphasis instead of marks: the corrected words of "Showing results for …".
    const emphasised = render(<q>{highlight('harvested honey', ['harvested'], 'strong')}</q>).container;
    expect([...emphasised.querySelectorAll('strong')].map((s) => s.textContent)).toEqual(['harvested']);
    expect(emphasised.querySelectorAll('mark')).toHaveLength(0);
    expect(emphasised.textContent).toBe('harvested honey');
  });

  it('marks the words the server marked, such as the word a typing slip was taken for', () => {
    const words = markedWords([
      'the **Tonofa** warehouse ¦¦ **refunds** within',
      'no mark here',
      '**Ünïcode**',
    ]);
    expect(words).toEqual(['tonofa', 'refunds', 'ünïcode']);
    const { container } = render(
      <p>{highlight('Customers of Tonofa get refunds. TONOFA refund; Ünïcode.', words)}</p>,
    );
    expect(marks(container)).toEqual(['Tonofa', 'refunds', 'TONOFA', 'Ünïcode']);
    expect(highlight('nothing to mark', [])).toEqual(['nothing to mark']);
  });

  it('treats regular-expression characters and markup in the input as plain text', () => {
    const { container } = render(<p>{highlight('<img src=x onerror=alert(1)> img', ['img'])}</p>);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelectorAll('mark')).toHaveLength(2);
    const listed = render(<p>{highlight('a (b) c.* dxb', ['(b)', 'c.*', '.'])}</p>);
    expect(marks(listed.container)).toEqual(['(b)', 'c.*']);
  });
});
