// Knowledge's read model of jar access follows honey-jars' events a moment behind. Search decides from it, so for
// that moment a person just removed from a jar (or whose jar was just made private, or deleted) would still find
// its passages, and the gateway, resolving each hit's jar at honey-jars (which already knows), would get null for a
// jar that may not be null. So before search answers, honey-jars is asked, as the person (gateway DELEGATIONS:
// knowledge → honey-jars), which of the hits' jars they may read now, and hits in any other jar are dropped.
// Access lost is lost at once; access gained still arrives with the event: this check only ever narrows. The same
// answer names the jars, so the hits carry honey-jars' names (the schema's @provides): the gateway then needs no
// second trip to honey-jars for `honeyJar { id name }`, and nothing can change between the check and the name.
import { readableJarNames, type SubgraphContext } from '@sting/kit';

type Asker = Pick<SubgraphContext, 'runtime' | 'delegatedIdentity' | 'requestId' | 'logger'>;

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
