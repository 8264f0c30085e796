// An answer's list of sources: a PDF's passage opens the PDF at its page in a new tab, with the passage in its
// document one link away; any other passage opens in its document here.
import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import { MockedProvider } from '@apollo/client/testing/react';
import { MemoryRouter } from 'react-router';
import { createCache } from '../app/apollo';
import { ConversationView } from './ConversationView';
import { JarChoicesDocument } from '../search/documents';
import { ConversationDocument, MessageStreamDocument } from './documents';

const citation = (index: number, title: string, page: number | null) => ({
  __typename: 'Citation' as const,
  index,
  chunkId: `chunk-${index}`,
  page,
  quote: `Quote ${index}`,
  document: { __typename: 'CitedDocument' as const, id: `doc-${index}`, title },
  honeyJar: { __typename: 'CitedHoneyJar' as const, id: 'jar-1', name: 'Apiary' },
});

const message = (id: string, role: 'USER' | 'ASSISTANT', text: string, citations: object[] = []) => ({
  __typename: 'Message' as const,
  id,
  role,
  text,
  status: 'COMPLETE' as const,
  createdAt: '2026-01-01T00:00:00.000Z',
  provider: role === 'ASSISTANT' ? 'extractive' : null,
  model: role === 'ASSISTANT' ? 'extractive-v2' : null,
  errorCode: null,
  citations,
});

function showConversation() {
  return render(
    <MockedProvider
      cache={createCache()}
      mocks={[
        {
          request: { query: ConversationDocument, variables: { id: 'c-1', last: 100 } },
          result: {
            data: {
              conversation: {
                __typename: 'Conversation',
                id: 'c-1',
                title: 'Hives',
                honeyJarIds: null,
                messageCount: 2,
                messages: [
                  message('m-1', 'USER', 'How warm is the brood nest?'),
                  message('m-2', 'ASSISTANT', 'Thirty-five degrees [1], measured daily [2].', [
                    citation(1, 'Field guide', 7),
                    citation(2, 'Hive notes', null),
                  ]),
                ],
              },
            },
          },
        },
        {
          request: { query: JarChoicesDocument, variables: { first: 50, filter: { status: 'ACTIVE' } } },
          result: {
            data: {
              honeyJars: {
                __typename: 'HoneyJarConnection',
                nodes: [],
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
              },
            },
          },
        },
        {
          request: { query: MessageStreamDocument, variables: { conversationId: 'c-1' } },
          result: { data: { messageStream: null } },
          delay: 60_000,
        },
      ]}
    >
      <MemoryRouter>
        <ConversationView id="c-1" />
      </MemoryRouter>
    </MockedProvider>,
  );
}

describe('ConversationView', () => {
  it("links each source: a PDF's page in a new tab, and the passage in its document", async () => {
    showConversation();
    const sources = await screen.findByRole('list', { name: 'Sources' });
    const pdf = within(sources).getByRole('link', { name: 'Field guide, page 7 (opens in a new tab)' });
    expect(pdf.getAttribute('href')).toBe('/api/v1/documents/doc-1/view#page=7');
    expect(pdf.getAttribute('target')).toBe('_blank');
    expect(pdf.getAttribute('rel')?.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
    expect(
      within(sources).getByRole('link', { name: 'The passage in Field guide' }).getAttribute('href'),
    ).toBe('/documents/doc-1?chunk=chunk-1');
    const text = within(sources).getByRole('link', { name: 'Hive notes' });
    expect(text.getAttribute('href')).toBe('/documents/doc-2?chunk=chunk-2');
    expect(text.getAttribute('target')).toBeNull();
    expect(within(sources).getAllByRole('link')).toHaveLength(3);
  });
});
