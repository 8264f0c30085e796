// A stored answer quotes the passages it cites, in its text and in its citations. Access can be lost after the
// answer was written (removed from a jar, the jar made private, the document deleted), so every read of a stored
// answer asks knowledge again, as the person, which cited documents they may still read. An answer citing even
// one they may not read is withheld whole: its text quotes that document, so dropping the citation alone would
// still show the passage.
import DataLoader from 'dataloader';
import type { SubgraphContext, Viewer } from '@sting/kit';
import type { ChatLoaders } from '../../loaders.ts';
import type { MessageView } from '../events.ts';
import type { StoredCitation } from './citations.ts';
import type { Retriever } from './retriever.ts';

/** What a check of cited documents needs of a request (a request's context, or a scope made from one). */
type Context = Pick<SubgraphContext<ChatLoaders>, 'requestId' | 'delegatedIdentity' | 'logger'>;

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

/**
 * Whose access an answer is written with, as its stream packets carry it: the person, their role, and the scopes
 * and jar restriction of the API key they asked with (none for a session). A canonical string, so a subscriber
 * compares it once per asker.
 */
export function askedAs(viewer: Viewer | null): string | undefined {
  if (viewer?.kind !== 'user') return undefined;
  const key = viewer.apiKey;
  return JSON.stringify([
    viewer.id,
    viewer.role,
    key ? [[...key.scopes].sort(), key.honeyJarIds ? [...key.honeyJarIds].sort() : null] : null,
  ]);
}

/**
 * Whether a subscriber may follow, as it is written, an answer written with the access `asker` names: passages
 * retrieved as the asker are then readable by the subscriber too. So for the same person and role, with a session
 * (which reads everything the person may; a key only narrows that) or with a key of the same scopes and jars. Any
 * other subscriber (a key restricted to other jars above all) gets none of the answer's text or citations as they
 * are written, and its final message checked as a read is.
 */
export function followsAsker(subscriber: Viewer | null, asker: string | undefined): boolean {
  if (subscriber?.kind !== 'user' || asker === undefined) return false;
  if (askedAs(subscriber) === asker) return true;
  if (subscriber.apiKey) return false;
  const [id, role] = JSON.parse(asker) as [string, string];
  return id === subscriber.id && role === subscriber.role;
}

// Final messages of answers this runtime has just written with the subscriber's access (followsAsker), from
// passages it retrieved as them: no second check needed (and a long-lived subscription's delegated assertion may
// have expired by now).
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

/**
 * Forgets what was checked for `ctx` so far. A subscription's context lives as long as the subscription: each of its
 * events is checked afresh (access lost since, or knowledge back after a failed check).
 */
export function forgetAccessChecks(ctx: Context): void {
  loaders.delete(ctx);
}

/**
 * What of a stored message the reader may see now: all of it while they may read every document it cites or was
 * written from, else none of it. Messages that draw on no document (a person's, or Bee finding nothing) are shown
 * as stored.
 */
export async function visibleAnswer(
  ctx: Context,
  retriever: Retriever,
  view: Pick<MessageView, 'text' | 'citations'> & { sources?: readonly string[] },
): Promise<VisibleAnswer> {
  const citations = view.citations;
  // An answer announced before answers recorded their sources carries none: its citations are what it has.
  const sources = view.sources ?? [];
  if ((citations.length === 0 && sources.length === 0) || justWritten.has(view))
    return { text: view.text, citations, withheld: null };
  const ids = [...new Set([...citations.map((c) => c.document.id), ...sources])];
  const readable = await readableLoader(ctx, retriever).loadMany(ids);
  if (readable.some((r) => r === false)) return { text: WITHHELD_TEXT, citations: [], withheld: 'NO_ACCESS' };
  if (readable.some((r) => r !== true)) return { text: UNCHECKED_TEXT, citations: [], withheld: 'UNCHECKED' };
  return { text: view.text, citations, withheld: null };
}
