// The jar list's own logic: filters by name, type and status over what was loaded, the empty states, and more
// pages appended to the list (the cache's connection policy) when the person asks for them.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { MemoryRouter } from 'react-router';
import { createCache } from '../app/apollo';
import { MeDocument, RequireSignIn } from '../auth/session';
import { HoneyJarsDocument } from './documents';
import { JarsPage } from './JarsPage';

const me = {
  __typename: 'User',
  id: 'u-1',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'MEMBER',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function jar(id: string, name: string, type: string, status = 'ACTIVE') {
  return {
    __typename: 'HoneyJar',
    id,
    name,
    description: null,
    type,
    status,
    tags: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    owner: { __typename: 'User', id: 'u-1', displayName: 'Ada' },
  };
}

function page(nodes: ReturnType<typeof jar>[], endCursor: string | null, hasNextPage: boolean) {
  return {
    honeyJars: {
      __typename: 'HoneyJarConnection',
      nodes,
      pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor },
    },
  };
}

function renderJars(mocks: any[]) {
  return render(
    <MockedProvider
      cache={createCache()}
      mocks={[{ request: { query: MeDocument }, result: { data: { me } } }, ...mocks]}
    >
      <MemoryRouter initialEntries={['/jars']}>
        <RequireSignIn>
          <JarsPage />
        </RequireSignIn>
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('JarsPage', () => {
  it('filters the loaded jars by name, type and status', async () => {
    renderJars([
      {
        request: { query: HoneyJarsDocument, variables: { first: 20 } },
        result: {
          data: page(
            [
              jar('1', 'Apiary notes', 'TEAM'),
              jar('2', 'Recipes', 'PRIVATE'),
              jar('3', 'Old apiary', 'TEAM', 'ARCHIVED'),
            ],
            'c1',
            false,
          ),
        },
      },
    ]);
    await screen.findByRole('link', { name: 'Apiary notes' });
    // Archived jars are hidden until the status filter says otherwise.
    expect(screen.queryByRole('link', { name: 'Old apiary' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });
    expect(screen.getByRole('link', { name: 'Old apiary' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search by name'), { target: { value: 'APIARY' } });
    expect(screen.getAllByRole('listitem').map((li) => li.querySelector('h2')?.textContent)).toEqual([
      'Apiary notes',
      'Old apiary',
    ]);
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'PRIVATE' } });
    expect(screen.getByText('No honey jar matches these filters.')).toBeTruthy();
  });

  it('appends the next page after the current one when asked for more', async () => {
    renderJars([
      {
        request: { query: HoneyJarsDocument, variables: { first: 20 } },
        result: { data: page([jar('1', 'First', 'TEAM')], 'c1', true) },
      },
      {
        request: { query: HoneyJarsDocument, variables: { first: 20, after: 'c1' } },
        result: { data: page([jar('2', 'Second', 'TEAM')], 'c2', false) },
      },
    ]);
    await screen.findByRole('link', { name: 'First' });
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Second' });
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says so when there are no jars at all, and offers to create one', async () => {
    renderJars([
      {
        request: { query: HoneyJarsDocument, variables: { first: 20 } },
        result: { data: page([], null, false) },
      },
    ]);
    await screen.findByText('No honey jars yet.');
    expect(screen.getByRole('button', { name: 'New honey jar' })).toBeTruthy();
  });
});
