// The review screen: proposals waiting across the viewer's jars with their jar and who proposed them; approving
// or rejecting one (once confirmed) reads the queue again, and a refusal shows the server's message.
import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import type { MockedResponse } from '@apollo/client/testing';
import { GraphQLError } from 'graphql';
import { MemoryRouter } from 'react-router';
import { createCache } from '../app/apollo';
import { ApproveDocumentDocument, DocumentReviewQueueDocument, RejectDocumentDocument } from './operations';
import ReviewPage from './ReviewPage';

const proposal = (id: string, title: string) => ({
  __typename: 'Document',
  id,
  title,
  fileType: 'pdf',
  size: 2048,
  createdAt: '2026-12-01T09:30:00.000Z',
  honeyJar: { __typename: 'HoneyJar', id: 'j-1', name: 'Apiary notes' },
  uploadedBy: { __typename: 'User', id: 'u-9', displayName: 'Pat Proposer' },
});
const queue = (nodes: object[], totalCount = nodes.length): MockedResponse => ({
  request: { query: DocumentReviewQueueDocument, variables: {} },
  result: {
    data: {
      documentReviewQueue: {
        __typename: 'DocumentConnection',
        nodes,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        totalCount,
      },
    },
  },
});
const approvedDoc = {
  __typename: 'Document',
  id: 'd-1',
  title: 'Swarm log',
  fileType: 'pdf',
  size: 2048,
  processingStatus: 'PENDING',
  progress: 0,
  processingError: null,
  chunkCount: 0,
  createdAt: '2026-12-01T09:30:00.000Z',
  piiFindings: [],
};

function showReviewPage(mocks: MockedResponse[]) {
  return render(
    <MockedProvider cache={createCache()} mocks={mocks}>
      <MemoryRouter>
        <ReviewPage />
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('ReviewPage', () => {
  it('lists what waits with its jar and proposer, and reads the queue again once one is approved', async () => {
    const approved = jest.fn(() => ({ data: { approveDocument: approvedDoc } }));
    showReviewPage([
      queue([proposal('d-1', 'Swarm log'), proposal('d-2', 'Queen notes')]),
      { request: { query: ApproveDocumentDocument, variables: { id: 'd-1' } }, result: approved },
      queue([proposal('d-2', 'Queen notes')]),
    ]);
    await screen.findByText('2 proposals waiting, oldest first', undefined, { timeout: 5000 });
    const row = screen.getByRole('row', { name: /Swarm log/ });
    expect(within(row).getByRole('link', { name: 'Apiary notes' }).getAttribute('href')).toBe('/jars/j-1');
    expect(within(row).getByText('Pat Proposer')).toBeTruthy();
    expect(within(row).getByText('PDF, 2.0 KB')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Approve Swarm log' }));
    await screen.findByText('1 proposal waiting, oldest first', undefined, { timeout: 5000 });
    expect(approved).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Swarm log')).toBeNull();
  });

  it("asks before rejecting, and shows the server's refusal with the proposal still listed", async () => {
    const rejected = jest.fn(() => ({
      errors: [
        new GraphQLError('You may not review this document', {
          extensions: { code: 'FORBIDDEN', requestId: 'r-7' },
        }),
      ],
    }));
    showReviewPage([
      queue([proposal('d-1', 'Swarm log')]),
      {
        request: { query: RejectDocumentDocument, variables: { id: 'd-1' } },
        result: rejected,
      },
    ]);
    const row = await screen.findByRole('row', { name: /Swarm log/ }, { timeout: 5000 });
    fireEvent.click(within(row).getByRole('button', { name: 'Reject Swarm log' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(rejected).not.toHaveBeenCalled();

    fireEvent.click(within(row).getByRole('button', { name: 'Reject Swarm log' }));
    const dialog = screen.getByRole('dialog', { name: 'Reject “Swarm log”?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reject document' }));
    await within(dialog).findByText(/You may not review this document/, undefined, { timeout: 5000 });
    expect(rejected).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('row', { name: /Swarm log/ })).toBeTruthy();
  });

  it('says when nothing is waiting', async () => {
    showReviewPage([queue([])]);
    await screen.findByText('Nothing is waiting for your review.', undefined, { timeout: 5000 });
  });
});
