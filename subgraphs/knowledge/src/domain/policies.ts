// Who may read knowledge about a honey jar. Which jars a viewer may see is decided by honey-jars; a reference
// reaching this subgraph has already passed that check, so here a caller need only be signed in (or the system).
import { UnauthenticatedError, type Viewer } from '@sting/kit';

export type KnowledgeAction = 'chunkCount:read';

type Rule = (viewer: Viewer) => boolean;

const RULES: Record<KnowledgeAction, Rule[]> = {
  'chunkCount:read': [(v) => v.kind === 'user', (v) => v.kind === 'system'],
};

export function can(viewer: Viewer | null, action: KnowledgeAction): boolean {
  return viewer !== null && RULES[action].some((rule) => rule(viewer));
}

export function authorize(viewer: Viewer | null, action: KnowledgeAction): asserts viewer is Viewer {
  if (!can(viewer, action)) throw new UnauthenticatedError();
}
