// What an action on people needs besides its arguments: the transaction's EntityManager, who asks (already
// authorized), the request for audit records and events, and the external directory in Kratos mode.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '@sting/kit';
import type { AssuranceSettings } from '../assurance.ts';
import type { AuditActorInput } from '../audit/record.ts';
import type { PeopleDirectory } from './directory.ts';

export interface PeopleContext {
  em: EntityManager;
  viewer: Viewer;
  requestId: string;
  clientAddress?: string;
  assurance: AssuranceSettings;
  /** Kratos mode: where roles and standing are kept; null with the built-in provider. */
  directory: PeopleDirectory | null;
}

export function actorOf(viewer: Viewer): AuditActorInput {
  if (viewer.kind === 'system') return { system: true };
  return { userId: viewer.id, apiKeyId: viewer.apiKey?.id ?? null };
}

export function viewerId(viewer: Viewer): string | null {
  return viewer.kind === 'user' ? viewer.id : null;
}
