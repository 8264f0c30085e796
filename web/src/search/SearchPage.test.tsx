// The search is the address's: opening /search?q=…&jar=… runs it with those jars, a new search goes into the
// address as a step of its own, and Back shows the search before it again, words, jars and results. The Search
// button keeps focus while a search runs, and a second press meanwhile sends nothing.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { MemoryRouter, useLocation, useNavigate } from 'react-router';
import { createCache } from '../app/apollo';
import { JarChoicesDocument, SearchDocument } from './documents';
import { SearchPage } from './SearchPage';

const jar = (n: number) => ({ __typename: 'HoneyJar', id: `j-${n}`, name: `Jar ${n}` });
const jarChoices = {
  request: { query: JarChoicesDocument, variables: { first: 50, filter: { status: 'ACTIVE' } } },
  result: {
    data: {
      honeyJars: {
        __typename: 'HoneyJarConnection',
        nodes: [jar(1), jar(2)],
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'c-j-2' },
      },
    },
  },
  maxUsageCount: Infinity,
};
const searchFor = (query: string, honeyJarIds: string[] | null, title: string) => ({
  request: { query: SearchDocument, variables: { query, honeyJarIds, first: 20 } },
  result: {
    data: {
      search: [
        {
          __typename: 'SearchHit',
          score: 1,
          text: `A passage about ${query}.`,
          highlights: [],
          page: null,
          headingPath: [],
          chunkId: `c-${query}`,
          document: { __typename: 'Document', id: `d-${query}`, title, fileType: 'md' },
          honeyJar: { __typename: 'HoneyJar', id: 'j-1', name: 'Jar 1' },
        },
      ],
      searchCorrection: null,
    },
  },
  maxUsageCount: Infinity,
});

/** The browser's Back button and address bar, for a memory router. */
function Browser() {
  const navigate = useNavigate();
  const location = useLocation();
  return (
    <>
      <output aria-label="Address">{location.search}</output>
      <button type="button" onClick={() => void navigate(-1)}>
        Back
      </button>
    </>
  );
}

describe('SearchPage', () => {
  it('runs the search in the address on load and again on Back', async () => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[jarChoices, searchFor('honey', ['j-1'], 'Honey notes'), searchFor('wax', null, 'Wax notes')]}
      >
        <MemoryRouter initialEntries={['/search?q=honey&jar=j-1']}>
          <SearchPage />
          <Browser />
        </MemoryRouter>
      </MockedProvider>,
    );
    expect(await screen.findByRole('link', { name: 'Honey notes' })).toBeTruthy();
    const words = screen.getByLabelText('Search your documents') as HTMLInputElement;
    expect(words.value).toBe('honey');
    expect(((await screen.findByRole('checkbox', { name: 'Jar 1' })) as HTMLInputElement).checked).toBe(true);

    fireEvent.change(words, { target: { value: ' wax ' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Jar 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByRole('link', { name: 'Wax notes' })).toBeTruthy();
    expect(screen.getByLabelText('Address').textContent).toBe('?q=wax');

    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByRole('link', { name: 'Honey notes' })).toBeTruthy();
    expect(words.value).toBe('honey');
    expect((screen.getByRole('checkbox', { name: 'Jar 1' }) as HTMLInputElement).checked).toBe(true);
  });

  it('keeps focus on Search while a search runs, and ignores pressing it again meanwhile', async () => {
    const wax = searchFor('wax', null, 'Wax notes');
    const answer = jest.fn(() => wax.result);
    render(
      <MockedProvider cache={createCache()} mocks={[jarChoices, { ...wax, result: answer, delay: 50 }]}>
        <MemoryRouter initialEntries={['/search']}>
          <SearchPage />
        </MemoryRouter>
      </MockedProvider>,
    );
    fireEvent.change(screen.getByLabelText('Search your documents'), { target: { value: 'wax' } });
    const button = screen.getByRole('button', { name: 'Search' }) as HTMLButtonElement;
    button.focus();
    fireEvent.click(button);
    await screen.findByText('Searching…');
    expect(button.disabled).toBe(false);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(await screen.findByRole('link', { name: 'Wax notes' })).toBeTruthy();
    expect(button.getAttribute('aria-disabled')).toBe('false');
    expect(document.activeElement).toBe(button);
    expect(answer).toHaveBeenCalledTimes(1);
  });
});
