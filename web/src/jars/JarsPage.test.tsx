// The jar list's own logic: the name, type and status filters sent to the server (the name once typing pauses),
// the empty states, and more pages of the same filter appended (the cache's connection policy) when asked for.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
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

function jar(id: string, name: string, type: string, status = 'ACTIVE', documentCount: number | null = 2) {
  return {
    __typename: 'HoneyJar',
    id,
    name,
    description: null,
    type,
    status,
    tags: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    documentCount,
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

const ACTIVE = { status: 'ACTIVE' };
const ask = (filter: Record<string, string>, data: ReturnType<typeof page>, after?: string) => ({
  request: { query: HoneyJarsDocument, variables: { first: 20, filter, ...(after ? { after } : {}) } },
  result: { data },
});
const shown = () => screen.queryAllByRole('listitem').map((li) => li.querySelector('h2')?.textContent);

describe('JarsPage', () => {
  it('asks the server for the jars matching the name (once typing pauses), type and status', async () => {
    renderJars([
      ask(ACTIVE, page([jar('1', 'Apiary notes', 'TEAM')], 'c1', false)),
      ask(
        {},
        page([jar('1', 'Apiary notes', 'TEAM'), jar('3', 'Old apiary', 'TEAM', 'ARCHIVED')], 'c3', false),
      ),
      ask({ name: 'APIARY' }, page([jar('3', 'Old apiary', 'TEAM', 'ARCHIVED')], 'c3', false)),
      ask({ name: 'APIARY', type: 'PRIVATE' }, page([], null, false)),
    ]);
    await screen.findByRole('link', { name: 'Apiary notes' });
    // Each card says how many documents the jar holds that the viewer may read.
    expect(screen.getByRole('listitem').textContent).toContain('2 documents · Owner: Ada');
    // Archived jars are left out until the status filter says otherwise.
    expect(shown()).toEqual(['Apiary notes']);
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });
    await screen.findByRole('link', { name: 'Old apiary' });
    fireEvent.change(screen.getByLabelText('Search by name'), { target: { value: ' APIARY ' } });
    await waitFor(() => expect(shown()).toEqual(['Old apiary']));
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'PRIVATE' } });
    await screen.findByText('No honey jar matches these filters.');
  });

  it('appends the next page of the same filter after the current one when asked for more', async () => {
    renderJars([
      ask(ACTIVE, page([jar('1', 'First', 'TEAM')], 'c1', true)),
      ask(ACTIVE, page([jar('2', 'Second', 'TEAM')], 'c2', false), 'c1'),
    ]);
    await screen.findByRole('link', { name: 'First' });
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Second' });
    expect(shown()).toEqual(['First', 'Second']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('still lists the jars while their counts cannot be read, and says why', async () => {
    const unavailable = {
      message: 'knowledge is unavailable just now; try again shortly',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    };
    renderJars([
      {
        request: { query: HoneyJarsDocument, variables: { first: 20, filter: ACTIVE } },
        result: {
          data: page([jar('1', 'Apiary notes', 'TEAM', 'ACTIVE', null)], 'c1', false),
          errors: [unavailable],
        },
      },
    ]);
    await screen.findByRole('link', { name: 'Apiary notes' });
    expect(screen.getByRole('listitem').textContent).toContain('Documents not counted just now · Owner: Ada');
    expect(await screen.findByText(/knowledge is unavailable just now/)).toBeTruthy();
  });

  it('says so when there are no jars at all, and offers to create one', async () => {
    renderJars([ask(ACTIVE, page([], null, false))]);
    await screen.findByText('No honey jars yet.');
    expect(screen.getByRole('button', { name: 'New honey jar' })).toBeTruthy();
  });
});
