// The status history: the up/down transitions of the last 24 hours, for administrators (others see none, as
// with the component list).
import type { EntityManager } from '@mikro-orm/postgresql';
import { sharedPromise, type Viewer } from '@sting/kit';
import { ComponentTransition, type ComponentTransitionRow } from '../../entities/index.ts';
import { may } from '../policies.ts';

export const HISTORY_HOURS = 24;

// The history each request read: every alias of systemStatus in one request answers the same query.
const readByRequest = new WeakMap<object, Promise<ComponentTransitionRow[]>>();

export async function statusHistory(scope: {
  viewer: Viewer | null;
  em: EntityManager;
}): Promise<ComponentTransitionRow[]> {
  if (!may(scope.viewer, 'readStatusDetail')) return [];
  return sharedPromise(readByRequest, scope, () => {
    const since = new Date(Date.now() - HISTORY_HOURS * 3_600_000);
    return scope.em.find(ComponentTransition, { at: { $gte: since } }, { orderBy: { at: 'asc', id: 'asc' } });
  });
}
