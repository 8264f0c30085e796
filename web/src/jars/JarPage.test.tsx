// A jar's page with more documents than one page holds: the newest first, how many there are in all, and the
// next page appended under them (the cache's connection policy on HoneyJar.documents) when asked for; an address
// that names no jar, a malformed id included, says so with the way back.
import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import type { MockedResponse } from '@apollo/client/testing';
import { GraphQLError } from 'graphql';
import { MemoryRouter, Route, Routes } from 'react-router';
import { createCache } from '../app/apollo';
import { MeDocument, RequireSignIn } from '../auth/session';
import { ApproveDocumentDocument, DocumentStatusChangedDocument } from '../documents/operations';
import { UNFINISHED_RECHECK_MS } from '../documents/DocumentsTable';
import { HoneyJarDocument } from './documents';
import { JarPage } from './JarPage';

const me = {
  __typename: 'User',
  id: 'u-2',
  email: 'bo@example.com',
  displayName: 'Bo',
  role: 'VIEWER',
  createdAt: '2026-01-01T00:00:00.000Z',
};

const doc = (n: number) => ({
  __typename: 'Document',
  id: `d-${n}`,
  title: `Report ${n}.pdf`,
  fileType: 'pdf',
  size: 2048,
  processingStatus: 'READY',
  progress: 1,
  processingError: null,
  chunkCount: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  piiFindings: [],
});

function jarWith(nodes: ReturnType<typeof doc>[], endCursor: string | null, hasNextPage: boolean) {
  return {
    honeyJar: {
      __typename: 'HoneyJar',
      id: 'j-1',
      name: 'Reports',
      description: null,
      type: 'PUBLIC',
      status: 'ACTIVE',
      tags: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      owner: { __typename: 'User', id: 'u-1', displayName: 'Ada' },
      documents: {
        __typename: 'DocumentConnection',
        nodes,
        pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor },
        totalCount: 3,
      },
    },
  };
}

/** The jar's page as `viewer` sees it, its first page of documents answered with `pages` in turn. */
function renderJar(
  viewer: typeof me,
  pages: { after?: string; data: ReturnType<typeof jarWith> }[],
  more: MockedResponse[] = [],
) {
  return render(
    <MockedProvider
      cache={createCache()}
      mocks={[
        { request: { query: MeDocument }, result: { data: { me: viewer } } },
        ...pages.map(({ after, data }) => ({
          request: {
            query: HoneyJarDocument,
            variables: { id: 'j-1', first: 50, ...(after ? { after } : {}) },
          },
          result: { data },
        })),
        {
          request: { query: DocumentStatusChangedDocument, variables: { honeyJarId: 'j-1' } },
          result: { data: { documentStatusChanged: doc(1) } },
          delay: 60_000,
        },
        ...more,
      ]}
    >
      <MemoryRouter initialEntries={['/jars/j-1']}>
        <RequireSignIn>
          <Routes>
            <Route path="/jars/:id" element={<JarPage />} />
          </Routes>
        </RequireSignIn>
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('JarPage', () => {
  it('shows the first page of documents with the total, and appends the next page on "Load more documents"', async () => {
    renderJar(me, [
      { data: jarWith([doc(3), doc(2)], 'c-2', true) },
      { after: 'c-2', data: jarWith([doc(1)], 'c-1', false) },
    ]);
    await screen.findByRole('link', { name: 'Report 3.pdf' });
    expect(screen.getByText('Newest first: 2 of 3 documents shown')).toBeTruthy();
    const titles = () =>
      within(screen.getByRole('table', { name: 'Documents' }))
        .getAllByRole('link', { name: /^Report/ })
        .map((link) => link.textContent);
    expect(titles()).toEqual(['Report 3.pdf', 'Report 2.pdf']);

    fireEvent.click(screen.getByRole('button', { name: 'Load more documents' }));
    await screen.findByRole('link', { name: 'Report 1.pdf' });
    expect(titles()).toEqual(['Report 3.pdf', 'Report 2.pdf', 'Report 1.pdf']);
    expect(screen.getByText('3 documents')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load more documents' })).toBeNull();
  });

  it('asks for the list again while a document is unfinished and no change of it arrives', async () => {
    // The change to Ready happened before the subscription started: it is never sent, the list says it.
    const processing = { ...doc(1), processingStatus: 'PROCESSING', progress: 0.5, chunkCount: 0 };
    renderJar(me, [{ data: jarWith([processing], null, false) }, { data: jarWith([doc(1)], null, false) }]);
    await screen.findByRole('progressbar', { name: 'Processing Report 1.pdf' });
    expect(screen.queryByText('Ready')).toBeNull();
    await screen.findByText('Ready', undefined, { timeout: UNFINISHED_RECHECK_MS + 3_000 });
    expect(screen.queryByRole('progressbar')).toBeNull();
  }, 15_000);

  it("tells someone adding to another person's public jar that the owner reviews it first", async () => {
    for (const [viewer, told] of [
      [{ ...me, role: 'MEMBER' }, true],
      [{ ...me, id: 'u-1', role: 'MEMBER' }, false],
    ] satisfies [typeof me, boolean][]) {
      const view = renderJar(viewer, [{ data: jarWith([doc(1)], 'c-1', false) }]);
      await screen.findByRole('link', { name: 'Report 1.pdf' });
      expect(screen.queryByText(/waits for its owner's review/) !== null).toBe(told);
      expect(
        screen.getByText(told ? 'Drop files here to propose them, or' : 'Drop files here, or'),
      ).toBeTruthy();
      view.unmount();
    }
  });

  it("names each proposal's buttons after it, asks before a rejection, and shows why an approval was refused", async () => {
    const proposal = { ...doc(1), processingStatus: 'PENDING_REVIEW', chunkCount: 0, progress: 0 };
    renderJar(
      { ...me, id: 'u-1', role: 'MEMBER' },
      [{ data: jarWith([proposal], 'c-1', false) }],
      [
        {
          request: { query: ApproveDocumentDocument, variables: { id: 'd-1' } },
          result: {
            errors: [
              new GraphQLError('The document (2048 bytes) is larger than the room left in this honey jar', {
                extensions: { code: 'BAD_USER_INPUT' },
              }),
            ],
          },
        },
      ],
    );
    await screen.findByRole('link', { name: 'Report 1.pdf' });
    fireEvent.click(screen.getByRole('button', { name: 'Reject Report 1.pdf' }));
    const asked = screen.getByRole('dialog', { name: 'Reject “Report 1.pdf”?' });
    fireEvent.click(within(asked).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reprocess Report 1.pdf' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Approve Report 1.pdf' }));
    await screen.findByText(/larger than the room left in this honey jar/);
    expect(screen.getByText('Waiting for review')).toBeTruthy();
  });

  it('says there is no jar here, with the way back, when the id in the address is not an id', async () => {
    renderJar(
      me,
      [],
      [
        {
          request: { query: HoneyJarDocument, variables: { id: 'j-1', first: 50 } },
          result: {
            errors: [new GraphQLError('id is not a valid id', { extensions: { code: 'BAD_USER_INPUT' } })],
          },
        },
      ],
    );
    await screen.findByText('There is no honey jar here you can read.');
    expect(screen.getByRole('link', { name: 'Back to your honey jars' }).getAttribute('href')).toBe('/jars');
    expect(screen.queryByText(/not a valid id/)).toBeNull();
  });
});
