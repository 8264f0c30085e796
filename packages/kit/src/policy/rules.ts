// The rules every subgraph's policy table is built from. A rule answers one question about a signed-in viewer
// (a person, a person through an API key, or the gateway itself); a table allows an action when any of its rules
// does. Jar-scoped facts carry the jar's id so the policy can hold an API key to its jar restriction.
import type { Viewer } from '../subgraph/module.ts';
import type { ApiKeyScope } from './scopes.ts';

/** One yes/no question about the viewer (and the facts of the record acted on, when the action has one). */
export type Rule<F = unknown> = (viewer: Viewer, facts: F) => boolean;

export type UserViewer = Extract<Viewer, { kind: 'user' }>;

/** The gateway itself: internal calls (resolving references, turning session tokens into viewers). */
export const isSystem: Rule = (viewer) => viewer.kind === 'system';

/** A person, whatever their role, with a session or an API key. */
export const isSignedIn: Rule = (viewer) => viewer.kind === 'user';

/** Whether the viewer holds `scope`; a person with a session holds every scope (their role decides). */
export function holdsScope(viewer: Viewer, scope: ApiKeyScope): boolean {
  return viewer.kind !== 'user' || !viewer.apiKey || viewer.apiKey.scopes.includes(scope);
}

/**
 * An administrator acting as one: with a session, or with an API key holding the `admin` scope. An administrator's
 * key without it is only a signed-in person, so a leaked read key never reaches every jar.
 */
export const isAdmin: Rule = (viewer) =>
  viewer.kind === 'user' && viewer.role === 'ADMIN' && holdsScope(viewer, 'admin');

/** VIEWER is a read-only role: it reads what is shared with it but creates nothing. */
export const canAuthor: Rule = (viewer) =>
  viewer.kind === 'user' && (viewer.role === 'MEMBER' || viewer.role === 'ADMIN');

/** The jars an API key is restricted to, or undefined when the viewer may touch any jar its rules allow. */
export function keyJars(viewer: Viewer | null): readonly string[] | undefined {
  return viewer?.kind === 'user' ? viewer.apiKey?.honeyJarIds : undefined;
}

/** False only for an API key restricted to other jars. */
export function keyAllowsJar(viewer: Viewer | null, jarId: string): boolean {
  const jars = keyJars(viewer);
  return jars === undefined || jars.includes(jarId);
}

/** Of `jarIds`, the ones the viewer's key may touch (all of them without a restriction). */
export function withinKeyJars<T extends string>(viewer: Viewer | null, jarIds: readonly T[]): T[] {
  const jars = keyJars(viewer);
  return jars === undefined ? [...jarIds] : jarIds.filter((id) => jars.includes(id));
}
