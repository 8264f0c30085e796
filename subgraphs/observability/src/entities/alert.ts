// Alert rows in the `observability` schema: the record of everything Beeacon warned about, with its life cycle
// (OPEN, ACKNOWLEDGED, RESOLVED: who and when) and how often it was raised again while it stayed unresolved.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AlertSeverities, AlertStates } from '../domain/severity.ts';

export const Alert = defineEntity({
  name: 'Alert',
  tableName: 'alert',
  // The list is read newest first with keyset paging on (createdAt, id); an unresolved alert is found by its
  // fingerprint (at most one per fingerprint, a partial unique index in the migration).
  indexes: [{ properties: ['createdAt', 'id'] }, { properties: ['fingerprint', 'state'] }],
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    severity: p.enum(AlertSeverities),
    title: p.string().length(200),
    message: p.text().nullable(),
    source: p.string().length(100),
    // Millisecond precision matches JavaScript dates, so keyset cursors round-trip exactly.
    createdAt: p.datetime(3).onCreate(() => new Date()),
    state: p.enum(AlertStates).default('OPEN'),
    /** source, rule and subject: raising the same one again while it is unresolved counts it instead. */
    fingerprint: p.text(),
    count: p.integer().default(1),
    lastSeenAt: p.datetime(3),
    acknowledgedAt: p.datetime(3).nullable(),
    /** The administrator's user id; null when the platform itself did it. */
    acknowledgedBy: p.string().length(100).nullable(),
    resolvedAt: p.datetime(3).nullable(),
    resolvedBy: p.string().length(100).nullable(),
  },
});

export type AlertRow = InferEntity<typeof Alert>;
