// The ways into knowledge and what an API key needs for each. Which jars and documents a viewer may then see is
// the jar-access and document tables' business (knowledge's read model of honey-jars' rules); a reference reaching
// this subgraph from another answer (a search hit's document, a jar's chunk count) needs no scope of its own.
import { definePolicy, isSignedIn, isSystem, type Policy, type Viewer } from '@sting/kit';

export type KnowledgeAction = 'search' | 'documents:read' | 'documents:write' | 'chunkCount:read';

const policy: Policy<KnowledgeAction, undefined> = definePolicy({
  // Bee searches as the person (a delegated assertion), so a key allowed to chat may search through Bee.
  search: { rules: [isSignedIn, isSystem], scope: ['search', 'bee:chat'] },
  // document, documents, documentReviewQueue, documentStatusChanged: documents are part of a jar's contents.
  'documents:read': { rules: [isSignedIn, isSystem], scope: 'honey-jars:read' },
  // Uploads (and their staged state), reprocessing, review and deletion.
  'documents:write': { rules: [isSignedIn], scope: 'documents:write' },
  'chunkCount:read': { rules: [isSignedIn, isSystem], scope: 'any-key' },
});

export function can(viewer: Viewer | null, action: KnowledgeAction): boolean {
  return policy.can(viewer, action, undefined);
}

/** UNAUTHENTICATED for anonymous callers, FORBIDDEN (naming a key's missing scope) when the table refuses. */
export function authorize(viewer: Viewer | null, action: KnowledgeAction): asserts viewer is Viewer {
  policy.authorize(viewer, action, undefined);
}
