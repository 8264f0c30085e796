// Alert rows in the `observability` schema: the record of everything Beeacon warned about.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AlertSeverities } from '../domain/severity.ts';

export const Alert = defineEntity({
  name: 'Alert',
  tableName: 'alert',
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    severity: p.enum(AlertSeverities),
    title: p.string().length(200),
    message: p.text().nullable(),
    source: p.string().length(100),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type AlertRow = InferEntity<typeof Alert>;
export const entities = [Alert];
