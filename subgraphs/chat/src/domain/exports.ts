// A conversation exported for its owner as Markdown or JSON, every answer with its citations.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Message, type ConversationRow, type MessageRow } from '../entities/conversation.ts';
import type { VisibleAnswer } from './bee/cited-access.ts';
import type { StoredCitation } from './bee/citations.ts';

export const ExportFormats = ['MARKDOWN', 'JSON'] as const;
export type ExportFormat = (typeof ExportFormats)[number];

const citationLine = (c: StoredCitation) =>
  `[${c.index}] ${c.document.title} (${c.honeyJar.name}${c.page ? `, page ${c.page}` : ''}): "${c.quote}"`;

export async function exportConversation(
  em: EntityManager,
  conversation: ConversationRow,
  format: ExportFormat,
  visible: (
    message: Pick<MessageRow, 'text' | 'citations'> & { sources: readonly string[] },
  ) => Promise<VisibleAnswer>,
): Promise<string> {
  const rows = await em.find(
    Message,
    { conversation: conversation.id },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  // Every answer as its reader may see it now: one citing, or written from, a document they lost access to is
  // withheld here too (a stopped answer can quote a passage it never came to cite).
  const messages = await Promise.all(
    rows.map(async (m) => {
      const { text, citations } = await visible({
        text: m.text,
        citations: m.citations ?? [],
        sources: m.sourceDocumentIds ?? [],
      });
      return {
        id: m.id,
        role: m.role,
        status: m.status,
        createdAt: m.createdAt,
        provider: m.provider,
        model: m.model,
        text,
        citations,
      };
    }),
  );
  if (format === 'JSON') {
    return JSON.stringify(
      {
        id: conversation.id,
        title: conversation.title,
        createdAt: conversation.createdAt.toISOString(),
        messages: messages.map((m) => ({
          id: m.id,
          role: m.role,
          status: m.status,
          text: m.text,
          createdAt: m.createdAt.toISOString(),
          citations: m.citations,
          ...(m.role === 'ASSISTANT' ? { provider: m.provider, model: m.model } : {}),
        })),
      },
      null,
      2,
    );
  }
  const parts = [`# ${conversation.title}`, ''];
  for (const m of messages) {
    const who = m.role === 'USER' ? 'You' : m.role === 'ASSISTANT' ? 'Bee' : 'STING';
    parts.push(
      `**${who}** (${m.createdAt.toISOString()}${m.status === 'COMPLETE' ? '' : `, ${m.status.toLowerCase()}`}):`,
      '',
      m.text,
      '',
    );
    if (m.citations.length) parts.push(...m.citations.map((c) => `> ${citationLine(c)}`), '');
  }
  return parts.join('\n');
}
