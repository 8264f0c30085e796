// Alerts: raising one (or counting a repeat of an unresolved one), its life cycle (acknowledge, resolve, resolved
// automatically when its condition clears), the filtered list with keyset paging, and the live feed.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  afterKey,
  decodeCursor,
  enqueueEvent,
  eventFrom,
  EventTypes,
  isId,
  keysetPage,
  NotFoundError,
  payloadFeed,
  Topics,
  type EventBus,
  type EventEnvelope,
  type EventOrigin,
  type Viewer,
} from '@sting/kit';
import { Alert, type AlertRow } from '../entities/index.ts';
import { authorize } from './policies.ts';
import { atLeast, UnresolvedStates, type AlertSeverity, type AlertState } from './severity.ts';
import {
  alertFilter,
  alertInput,
  alertsPageSize,
  fingerprintOf,
  type AlertDraft,
  type AlertFilterInput,
  type RaiseAlertInput,
} from './validation.ts';

/** An alert as resolvers and subscribers see it; over the bus the dates travel as ISO strings. */
export interface AlertView {
  id: string;
  severity: AlertSeverity;
  title: string;
  message: string | null;
  source: string;
  createdAt: Date | string;
  state: AlertState;
  fingerprint: string;
  count: number;
  lastSeenAt: Date | string;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export interface AlertScope extends EventOrigin {
  viewer: Viewer | null;
  em: EntityManager;
  bus: EventBus;
}

const toView = (row: AlertRow): AlertView => ({
  id: row.id,
  severity: row.severity,
  title: row.title,
  message: row.message ?? null,
  source: row.source,
  createdAt: row.createdAt,
  state: row.state,
  fingerprint: row.fingerprint,
  count: row.count,
  lastSeenAt: row.lastSeenAt,
  acknowledgedAt: row.acknowledgedAt ?? null,
  acknowledgedBy: row.acknowledgedBy ?? null,
  resolvedAt: row.resolvedAt ?? null,
  resolvedBy: row.resolvedBy ?? null,
});

const actorOf = (viewer: Viewer | null | undefined) => (viewer?.kind === 'user' ? viewer.id : null);

/**
 * Records a validated alert. A repeat of an unresolved alert (same fingerprint) counts that one and is not
 * announced again; a new one is stored with its `observability.alert.triggered` event in one transaction, so a
 * subscriber never hears of an alert that was not stored and a stored alert is always announced.
 */
export async function recordAlert(
  origin: EventOrigin & { em: EntityManager },
  draft: AlertDraft,
  /** Events written with a new alert only, in its transaction (e.g. observability.health.failed). */
  alsoOnCreate: { topic: string; event: EventEnvelope<unknown> }[] = [],
): Promise<{ alert: AlertView; created: boolean }> {
  return origin.em.transactional(async (em) => {
    // Two raisers of the same fingerprint at once: the second waits and counts the first one's row.
    await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`sting.alert:${draft.fingerprint}`]);
    const now = new Date();
    const existing = await em.findOne(Alert, {
      fingerprint: draft.fingerprint,
      state: { $in: [...UnresolvedStates] },
    });
    if (existing) {
      existing.count += 1;
      existing.lastSeenAt = now;
      await em.flush();
      return { alert: toView(existing), created: false };
    }
    const row = em.create(Alert, { ...draft, id: randomUUID(), createdAt: now, lastSeenAt: now });
    const alert = toView(row);
    const event = eventFrom(origin, EventTypes.alertTriggered, {
      ...alert,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
    });
    enqueueEvent(em, Topics.observability.alertTriggered, event);
    for (const extra of alsoOnCreate) enqueueEvent(em, extra.topic, extra.event);
    await em.flush();
    return { alert, created: true };
  });
}

export async function raiseAlert(scope: AlertScope, input: RaiseAlertInput): Promise<AlertView> {
  authorize(scope.viewer, 'raiseAlert');
  return (await recordAlert(scope, alertInput(input))).alert;
}

/** Resolves the unresolved alert with this fingerprint, if any: its condition cleared (nobody resolved it). */
export async function resolveByFingerprint(
  em: EntityManager,
  fingerprint: string,
): Promise<AlertView | null> {
  const row = await em.findOne(Alert, { fingerprint, state: { $in: [...UnresolvedStates] } });
  if (!row) return null;
  row.state = 'RESOLVED';
  row.resolvedAt = new Date();
  row.resolvedBy = null;
  await em.flush();
  return toView(row);
}

async function alertToChange(scope: AlertScope, id: string): Promise<AlertRow> {
  authorize(scope.viewer, 'manageAlerts');
  const row = isId(id) ? await scope.em.findOne(Alert, { id }) : null;
  if (!row) throw new NotFoundError('Alert', id);
  return row;
}

/** OPEN becomes ACKNOWLEDGED; an acknowledged or resolved alert stays as it is. */
export async function acknowledgeAlert(scope: AlertScope, id: string): Promise<AlertView> {
  const row = await alertToChange(scope, id);
  if (row.state === 'OPEN') {
    row.state = 'ACKNOWLEDGED';
    row.acknowledgedAt = new Date();
    row.acknowledgedBy = actorOf(scope.viewer);
    await scope.em.flush();
  }
  return toView(row);
}

/** OPEN or ACKNOWLEDGED becomes RESOLVED; a resolved alert keeps who resolved it first. */
export async function resolveAlert(scope: AlertScope, id: string): Promise<AlertView> {
  const row = await alertToChange(scope, id);
  if (row.state !== 'RESOLVED') {
    row.state = 'RESOLVED';
    row.resolvedAt = new Date();
    row.resolvedBy = actorOf(scope.viewer);
    await scope.em.flush();
  }
  return toView(row);
}

export interface AlertPage {
  nodes: AlertView[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Newest first by (createdAt, id), one more row than asked telling whether another page follows. */
export async function listAlerts(
  scope: AlertScope,
  args: { filter?: AlertFilterInput | null; first?: number | null; after?: string | null },
): Promise<AlertPage> {
  authorize(scope.viewer, 'readAlerts');
  const size = alertsPageSize(args.first);
  const filter = alertFilter(args.filter);
  const cursor = args.after ? decodeCursor(args.after) : null;
  const createdAt = {
    ...(filter.since ? { $gte: filter.since } : {}),
    ...(filter.until ? { $lt: filter.until } : {}),
  };
  const where = {
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.state ? { state: filter.state } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(Object.keys(createdAt).length > 0 ? { createdAt } : {}),
    ...(cursor ? afterKey<AlertRow>(cursor) : {}),
  };
  const rows = await scope.em.find(Alert, where, {
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: size + 1,
  });
  const page = keysetPage(rows, size);
  return { ...page, nodes: page.nodes.map(toView) };
}

export async function findAlert(scope: AlertScope, id: string): Promise<AlertView | null> {
  authorize(scope.viewer, 'readAlerts');
  if (!isId(id)) return null;
  const row = await scope.em.findOne(Alert, { id });
  return row ? toView(row) : null;
}

/**
 * An alert heard on the bus as subscribers see it. The launcher publishes straight to the bus when observability
 * could not record its alert: such an event has no life cycle fields yet, so it reads as a new OPEN alert.
 */
export function fromFeed(
  alert: Partial<AlertView> & Pick<AlertView, 'id' | 'title' | 'source' | 'createdAt'>,
) {
  return {
    state: 'OPEN',
    count: 1,
    lastSeenAt: alert.createdAt,
    fingerprint: fingerprintOf(alert.source, alert.title, ''),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    ...alert,
  } as AlertView;
}

/** The live alert feed, checked at subscribe time; closing it frees the bus listener at once. */
export async function subscribeToAlerts(scope: AlertScope, minSeverity: AlertSeverity | null | undefined) {
  authorize(scope.viewer, 'readAlerts');
  const minimum = minSeverity ?? 'INFO';
  const source = await scope.bus.subscribe<AlertView>(Topics.observability.alertTriggered);
  return payloadFeed(source, (alert) => atLeast(alert.severity, minimum));
}
