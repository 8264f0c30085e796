// Answers "may this viewer read / add to this honey jar?" from knowledge's read model. Search filters with
// `readableJarIds` (or the same rule as SQL), uploads ask `uploadModeFor`; neither trusts a client's list of jars.
import type { EntityManager } from '@mikro-orm/postgresql';
import { isId, preparedRows, type Viewer, uuidArray } from '@sting/kit';
import type { JarType } from '../../entities/jar-access.ts';
import { can, readableJarsSql, uploadMode, type JarAccessFacts } from './policies.ts';
import { accessTables } from './read-model.ts';

export const isJarId = (id: string): boolean => isId(id);

export interface KnownJar {
  honeyJarId: string;
  ownerId: string;
  type: JarType;
  status: string;
  name: string;
  redactPiiOnIngest: boolean;
}

/** The jar as the read model knows it with the viewer's membership, or null when unknown or deleted. */
export async function jarFacts(
  em: EntityManager,
  viewer: Viewer | null,
  honeyJarId: string,
): Promise<(JarAccessFacts & { jar: KnownJar }) | null> {
  if (!isJarId(honeyJarId)) return null;
  const { jars, members } = accessTables(em);
  const userId = viewer?.kind === 'user' ? viewer.id : null;
  const [row] = await em.getConnection().execute<Record<string, unknown>[]>(
    `select a.honey_jar_id, a.owner_id, a.type, a.status, a.name, a.redact_pii_on_ingest,
       exists (select 1 from ${members} m where m.honey_jar_id = a.honey_jar_id and m.user_id = ? and m.present)
         as is_member
     from ${jars} a where a.honey_jar_id = ? and not a.deleted`,
    [userId, honeyJarId],
  );
  if (!row) return null;
  return {
    jar: {
      honeyJarId: row.honey_jar_id as string,
      ownerId: row.owner_id as string,
      type: row.type as JarType,
      status: row.status as string,
      name: row.name as string,
      redactPiiOnIngest: row.redact_pii_on_ingest as boolean,
    },
    isMember: row.is_member as boolean,
  };
}

export async function canRead(
  em: EntityManager,
  viewer: Viewer | null,
  honeyJarId: string,
): Promise<boolean> {
  return can(viewer, 'read', await jarFacts(em, viewer, honeyJarId));
}

/** 'direct' (owner, admin, member of a TEAM/RESTRICTED jar), 'review' (others on a PUBLIC jar) or null. */
export async function canUpload(
  em: EntityManager,
  viewer: Viewer | null,
  honeyJarId: string,
): Promise<'direct' | 'review' | null> {
  return uploadMode(viewer, await jarFacts(em, viewer, honeyJarId));
}

/**
 * The ids of the jars the viewer may read; with `among`, only those of them (ids the viewer may not read, or
 * that do not exist, are dropped silently: the caller decides whether that is an error). One query.
 */
export async function readableJarIds(
  em: EntityManager,
  viewer: Viewer | null,
  among?: readonly string[],
): Promise<string[]> {
  if (viewer === null) return [];
  const wanted = among ? [...new Set(among.filter(isJarId))] : undefined;
  if (wanted?.length === 0) return [];
  const { jars, members } = accessTables(em);
  const filter = readableJarsSql(viewer, members);
  const rows = await preparedRows<{ honey_jar_id: string }>(
    em,
    `select a.honey_jar_id from ${jars} a where ${filter.sql}
     ${wanted ? 'and a.honey_jar_id = any(?::uuid[])' : ''} order by a.honey_jar_id`,
    wanted ? [...filter.params, uuidArray(wanted)] : filter.params,
  );
  return rows.map((row) => row.honey_jar_id);
}
