// Alerts: recording one, listing the latest, and the live feed administrators watch.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  enqueueEvent,
  eventFrom,
  EventTypes,
  isId,
  payloadFeed,
  Topics,
  type EventBus,
  type EventOrigin,
  type Viewer,
} from '@sting/kit';
import { Alert, type AlertRow } from '../entities/index.ts';
import { authorize } from './policies.ts';
import { atLeast, type AlertSeverity } from './severity.ts';
import { alertInput, alertsPageSize, type RaiseAlertInput } from './validation.ts';

/** An alert as resolvers and subscribers see it; over the bus `createdAt` travels as an ISO string. */
export interface AlertView {
  id: string;
  severity: AlertSeverity;
  title: string;
  message: string | null;
  source: string;
  createdAt: Date | string;
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
});

/**
 * Stores the alert and its `observability.alert.triggered` event in one transaction: a subscriber never hears of
 * an alert that was not stored, and a stored alert is always announced, even if the bus is down just then.
 */
export async function raiseAlert(scope: AlertScope, input: RaiseAlertInput): Promise<AlertView> {
  authorize(scope.viewer, 'raiseAlert');
  const row = scope.em.create(Alert, { ...alertInput(input), id: randomUUID(), createdAt: new Date() });
  const alert = toView(row);
  const event = eventFrom(scope, EventTypes.alertTriggered, {
    ...alert,
    createdAt: row.createdAt.toISOString(),
  });
  enqueueEvent(scope.em, Topics.observability.alertTriggered, event);
  await scope.em.flush();
  return alert;
}

export async function listAlerts(scope: AlertScope, first: number | null | undefined): Promise<AlertView[]> {
  authorize(scope.viewer, 'readAlerts');
  const rows = await scope.em.find(
    Alert,
    {},
    { orderBy: { createdAt: 'desc', id: 'asc' }, limit: alertsPageSize(first) },
  );
  return rows.map(toView);
}

export async function findAlert(scope: AlertScope, id: string): Promise<AlertView | null> {
  authorize(scope.viewer, 'readAlerts');
  if (!isId(id)) return null;
  const row = await scope.em.findOne(Alert, { id });
  return row ? toView(row) : null;
}

/** The live alert feed, checked at subscribe time; closing it frees the bus listener at once. */
export async function subscribeToAlerts(scope: AlertScope, minSeverity: AlertSeverity | null | undefined) {
  authorize(scope.viewer, 'readAlerts');
  const minimum = minSeverity ?? 'INFO';
  const source = await scope.bus.subscribe<AlertView>(Topics.observability.alertTriggered);
  return payloadFeed(source, (alert) => atLeast(alert.severity, minimum));
}
