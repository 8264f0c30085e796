// A stored answer quotes the passages it cites, in its text and in its citations. Access can be lost after the
// answer was written (removed from a jar, the jar made private, the document deleted), so every read of a stored
// answer asks knowledge again, as the person, which cited documents they may still read. An answer citing even
// one they may not read is withheld whole: its text quotes that document, so dropping the citation alone would
// still show the passage.
import DataLoader from 'dataloader';
import type { SubgraphContext } from '@sting/kit';
import type { ChatLoaders } from '../../loaders.ts';
import type { MessageView } from '../events.ts';
import type { StoredCitation } from './citations.ts';
import type { Retriever } from './retriever.ts';

type Context = SubgraphContext<ChatLoaders>;

export const WITHHELD_TEXT =
  'This answer quoted documents you can no longer read, so it is withheld. Ask again to get an answer from what you can read now.';
export const UNCHECKED_TEXT =
  'This answer quotes documents whose access could not be checked right now, so it is withheld. Try again shortly.';

export interface VisibleAnswer {
  text: string;
  citations: StoredCitation[];
  /** Why the stored text and citations are not shown: lost access, or access that could not be checked. */
  withheld: 'NO_ACCESS' | 'UNCHECKED' | null;
}

// Packets of an answer this runtime has just written for this person, from passages it retrieved as them: no
// second check needed (and a long-lived subscription's delegated assertion may have expired by now).
const justWritten = new WeakSet<object>();

export function markJustWritten(view: MessageView): void {
  justWritten.add(view);
}

// One loader per request context: every stored answer a response shows costs one batched ask.
const loaders = new WeakMap<object, DataLoader<string, boolean | null>>();

function readableLoader(ctx: Context, retriever: Retriever): DataLoader<string, boolean | null> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (documentIds) => {
      try {
        const readable = await retriever.readableDocuments(documentIds, {
          requestId: ctx.requestId,
          ...(ctx.delegatedIdentity ? { delegatedIdentity: ctx.delegatedIdentity } : {}),
        });
        return documentIds.map((id) => readable.has(id));
      } catch (err) {
        ctx.logger.warn({ err }, 'could not check access to cited documents');
        return documentIds.map(() => null);
      }
    });
    loaders.set(ctx, loader);
  }
  return loader;
}

/** What of a stored message the reader may see now. Messages without citations are shown as stored. */
export async function visibleAnswer(
  ctx: Context,
  retriever: Retriever,
  view: Pick<MessageView, 'text' | 'citations'>,
): Promise<VisibleAnswer> {
  const citations = view.citations;
  if (citations.length === 0 || justWritten.has(view)) return { text: view.text, citations, withheld: null };
  const ids = [...new Set(citations.map((c) => c.document.id))];
  const readable = await readableLoader(ctx, retriever).loadMany(ids);
  if (readable.some((r) => r === false)) return { text: WITHHELD_TEXT, citations: [], withheld: 'NO_ACCESS' };
  if (readable.some((r) => r !== true)) return { text: UNCHECKED_TEXT, citations: [], withheld: 'UNCHECKED' };
  return { text: view.text, citations, withheld: null };
}
