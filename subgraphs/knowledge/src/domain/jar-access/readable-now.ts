// Knowledge's read model of jar access follows honey-jars' events a moment behind. Search decides from it, so for
// that moment a person just removed from a jar (or whose jar was just made private, or deleted) would still find
// its passages, and the gateway, resolving each hit's jar at honey-jars (which already knows), would get null for a
// jar that may not be null. So before search answers, honey-jars is asked, as the person (gateway DELEGATIONS:
// knowledge → honey-jars), which of the hits' jars they may read now, and hits in any other jar are dropped.
// Access lost is lost at once; access gained still arrives with the event: this check only ever narrows. The same
// answer names the jars, so the hits carry honey-jars' names (the schema's @provides): the gateway then needs no
// second trip to honey-jars for `honeyJar { id name }`, and nothing can change between the check and the name.
// The other way round, a jar made a moment ago is not in the read model yet: an upload to it, sent as soon as the
// jar was made, asks honey-jars too, and waits for the read model when honey-jars shows the jar (jarFactsCaughtUp).
import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { readableJarNames, type SubgraphContext } from '@sting/kit';
import { isJarId, jarFacts } from './access.ts';

type Asker = Pick<SubgraphContext, 'runtime' | 'delegatedIdentity' | 'requestId' | 'logger'>;

/** How long a jar honey-jars shows is waited for in the read model, and how often it is looked for meanwhile. */
export const CATCH_UP = { waitMs: 5_000, everyMs: 20 };

/**
 * Which of `jarIds` honey-jars lets the person read now, with their names; or null when it cannot be asked (no
 * peer link or no delegated assertion in this request, e.g. Bee's own search, which asks honey-jars itself; or
 * honey-jars failed): the read model's answer then stands, as it would have a second later anyway.
 */
export async function jarsReadableNow(
  ctx: Asker,
  jarIds: readonly string[],
): Promise<Map<string, string> | null> {
  const { peers } = ctx.runtime;
  if (!peers || !ctx.delegatedIdentity || jarIds.length === 0) return null;
  try {
    return await readableJarNames(peers, jarIds, ctx.delegatedIdentity, ctx.requestId);
  } catch (err) {
    ctx.logger.warn({ err }, 'honey-jars could not confirm jar access; search answers from the read model');
    return null;
  }
}

/** Those of `jarIds` honey-jars says the person may still read; all of them if it cannot say. */
export async function jarsStillReadable(ctx: Asker, jarIds: readonly string[]): Promise<string[]> {
  const readable = await jarsReadableNow(ctx, jarIds);
  return readable ? jarIds.filter((id) => readable.has(id)) : [...jarIds];
}

/** Per request: the jars asked about at once (a page of documents' references) go to honey-jars in one call. */
const stillReadableByRequest = new WeakMap<Asker, DataLoader<string, boolean>>();

/**
 * Whether honey-jars says the person may still read the jar (true when it cannot say). A single document, its
 * passages and its download are decided by the read model, which follows a removal a moment behind: this closes
 * that moment, as search does, and only ever narrows.
 */
export function jarStillReadable(ctx: Asker, honeyJarId: string): Promise<boolean> {
  let loader = stillReadableByRequest.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const readable = await jarsReadableNow(ctx, ids);
      return ids.map((id) => readable === null || readable.has(id));
    });
    stillReadableByRequest.set(ctx, loader);
  }
  return loader.load(honeyJarId);
}

/**
 * `hits` without those in jars honey-jars says the person may no longer read, named as honey-jars named them; all
 * of them, named as the read model knows them, if it cannot say.
 */
export async function withoutJarsNoLongerReadable<H extends { honeyJarId: string; honeyJarName: string }>(
  ctx: Asker,
  hits: readonly H[],
): Promise<H[]> {
  const readable = await jarsReadableNow(ctx, [...new Set(hits.map((hit) => hit.honeyJarId))]);
  if (!readable) return [...hits];
  return hits.flatMap((hit) => {
    const name = readable.get(hit.honeyJarId);
    return name === undefined ? [] : [{ ...hit, honeyJarName: name }];
  });
}

/**
 * jarFacts for a jar the person may have made a moment ago. When the read model does not know the jar, honey-jars
 * is asked (as the person) whether they may read it; if it shows the jar, the read model is looked at again until
 * the jar's event has arrived (CATCH_UP.waitMs at most). A jar honey-jars does not show, or one it cannot be asked
 * about, is answered at once from the read model (null): nobody waits on a jar that does not exist.
 */
export async function jarFactsCaughtUp(
  ctx: Asker & Pick<SubgraphContext, 'em' | 'viewer'>,
  honeyJarId: string,
): ReturnType<typeof jarFacts> {
  const facts = await jarFacts(ctx.em, ctx.viewer, honeyJarId);
  if (facts || !isJarId(honeyJarId)) return facts;
  const shown = await jarsReadableNow(ctx, [honeyJarId]);
  if (!shown?.has(honeyJarId)) return null;
  const deadline = Date.now() + CATCH_UP.waitMs;
  while (Date.now() < deadline) {
    await sleep(CATCH_UP.everyMs);
    const caughtUp = await jarFacts(ctx.em, ctx.viewer, honeyJarId);
    if (caughtUp) return caughtUp;
  }
  return null;
}
