// A long conversation in the cache: it opens at its newest page, an earlier page goes above it, and the newest
// page fetched again after a new question keeps the earlier pages shown above it.
import { describe, expect, it } from '@jest/globals';
import { createCache } from '../app/apollo';
import { ConversationDocument } from './documents';

const message = (n: number) => ({
  __typename: 'Message' as const,
  id: `m-${n}`,
  role: n % 2 ? ('ASSISTANT' as const) : ('USER' as const),
  status: 'COMPLETE' as const,
  text: `message ${n}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  provider: 'extractive',
  model: 'extractive-v2',
  errorCode: null,
  citations: [],
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

function write(
  cache: ReturnType<typeof createCache>,
  messages: ReturnType<typeof message>[],
  count: number,
  before?: string,
) {
  cache.writeQuery({
    query: ConversationDocument,
    variables: { id: 'c-1', last: 3, ...(before ? { before } : {}) },
    data: {
      conversation: {
        __typename: 'Conversation',
        id: 'c-1',
        title: 'Long',
        honeyJarIds: null,
        messageCount: count,
        messages,
      },
    } as never,
  });
}

const shown = (cache: ReturnType<typeof createCache>) =>
  cache
    .readQuery({ query: ConversationDocument, variables: { id: 'c-1', last: 3 } })!
    .conversation!.messages.map((m) => m.id);

describe("a conversation's pages of messages", () => {
  it('puts an earlier page above, and keeps it when the newest page comes again with a new message', () => {
    const cache = createCache();
    write(cache, range(5, 7), 7);
    expect(shown(cache)).toEqual(['m-5', 'm-6', 'm-7']);
    write(cache, range(2, 4), 7, 'm-5');
    expect(shown(cache)).toEqual(['m-2', 'm-3', 'm-4', 'm-5', 'm-6', 'm-7']);
    // A question and its answer later, the newest three are 7, 8 and 9.
    write(cache, range(7, 9), 9);
    expect(shown(cache)).toEqual(['m-2', 'm-3', 'm-4', 'm-5', 'm-6', 'm-7', 'm-8', 'm-9']);
  });

  it('starts again from the newest page when it shares nothing with what was shown', () => {
    const cache = createCache();
    write(cache, range(1, 3), 3);
    write(cache, range(10, 12), 12);
    expect(shown(cache)).toEqual(['m-10', 'm-11', 'm-12']);
  });
});
