// Alerts written straight to the observability subgraph's database, for tests.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Alert, type AlertRow } from '../src/entities/index.ts';

export { buildTestViewer as buildViewer } from '@sting/kit/testing';

export async function buildAlert(em: EntityManager, fields: Partial<AlertRow> = {}): Promise<AlertRow> {
  const row = em.create(Alert, {
    id: randomUUID(),
    severity: 'WARNING',
    title: `Alert ${randomUUID().slice(0, 8)}`,
    message: null,
    source: 'test',
    createdAt: new Date(),
    lastSeenAt: new Date(),
    fingerprint: `test:${randomUUID()}`,
    ...fields,
  });
  await em.flush();
  return row;
}
