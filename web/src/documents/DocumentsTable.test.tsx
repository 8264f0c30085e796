// A jar's documents list: "View" opens the original in a new tab for the types a browser shows (PDF and text of
// every kind), never for Word, Excel or PowerPoint files, which are only downloaded.
import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { MemoryRouter } from 'react-router';
import { createCache } from '../app/apollo';
import { DocumentsTable } from './DocumentsTable';
import { DocumentStatusChangedDocument } from './operations';

const doc = (id: string, title: string, fileType: string) => ({
  __typename: 'Document' as const,
  id,
  title,
  fileType,
  size: 2048,
  processingStatus: 'READY' as const,
  progress: 1,
  processingError: null,
  chunkCount: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  piiFindings: [],
});

function showTable(documents: ReturnType<typeof doc>[]) {
  return render(
    <MockedProvider
      cache={createCache()}
      mocks={[
        {
          request: { query: DocumentStatusChangedDocument, variables: { honeyJarId: 'j-1' } },
          result: { data: { documentStatusChanged: documents[0] } },
          delay: 60_000,
        },
      ]}
    >
      <MemoryRouter>
        <DocumentsTable honeyJarId="j-1" documents={documents} mayManage={false} onChanged={() => {}} />
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('DocumentsTable', () => {
  it('offers "View" in a new tab for a PDF and for text, and only the download for Office files', () => {
    showTable([
      doc('d-1', 'Field guide', 'pdf'),
      doc('d-2', 'Hive notes', 'markdown'),
      doc('d-3', 'Saved page', 'html'),
      doc('d-4', 'Minutes', 'docx'),
      doc('d-5', 'Yields', 'xlsx'),
    ]);
    const table = screen.getByRole('table', { name: 'Documents' });
    const views = within(table).getAllByRole('link', { name: /^View / });
    expect(views.map((a) => a.getAttribute('aria-label'))).toEqual([
      'View Field guide (opens in a new tab)',
      'View Hive notes (opens in a new tab)',
      'View Saved page (opens in a new tab)',
    ]);
    expect(views.map((a) => a.getAttribute('href'))).toEqual([
      '/api/v1/documents/d-1/view',
      '/api/v1/documents/d-2/view',
      '/api/v1/documents/d-3/view',
    ]);
    for (const view of views) {
      expect(view.getAttribute('target')).toBe('_blank');
      expect(view.getAttribute('rel')?.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
    }
    // Every document still downloads.
    expect(within(table).getAllByRole('link', { name: /^Download / })).toHaveLength(5);
  });
});
