// Outgoing webhooks against a real PostgreSQL and a stand-in receiver (a local HTTP server): an alert goes out
// signed (HMAC-SHA256 over timestamp and raw body, checked as a receiver would), Pollen-filtered, once however
// often it is heard; a receiver that fails is retried with growing waits until it answers, and given up on after
// the last attempt. Alerting itself never waits for a receiver.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createEvent, EventTypes, Topics } from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { recordAlert } from '../src/domain/alerts.ts';
import { schemaOf } from '../src/domain/events/event-store.ts';
import {
  SIGNATURE_HEADER,
  signBody,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../src/domain/webhooks/signature.ts';
import { WebhookSender } from '../src/domain/webhooks/webhooks.ts';
import { startObservability, type ObservabilityHarness } from './harness.ts';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver answering each request with the next status of `statuses` (then 200), keeping what it got. */
async function standInReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('outgoing webhooks', () => {
  let obs: ObservabilityHarness;
  const receivers: { close(): Promise<void> }[] = [];
  const senders: WebhookSender[] = [];
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await Promise.all(senders.map((sender) => sender.stop()));
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await obs?.close();
  });

  const em = () => obs.em() as unknown as EntityManager;
  const sender = async (url: string, secret: string, policy = {}, events: string[] = []) => {
    const created = new WebhookSender({
      orm: obs.orm as unknown as MikroORM,
      bus: obs.runtime.bus,
      targets: [{ url, secret, events }],
      policy: { pollMs: 50, ...policy },
      logger: obs.runtime.logger,
    });
    senders.push(created);
    await created.start();
    return created;
  };
  const deliveries = (url: string) =>
    em().execute<Record<string, any>[]>(
      `select * from ${schemaOf(em())}."webhook_delivery" where "url" = ? order by "created_at"`,
      [url],
    );

  it('posts a raised alert signed over timestamp and body, Pollen-filtered, once', async () => {
    const receiver = await standInReceiver();
    receivers.push(receiver);
    await sender(receiver.url, 'receiver-secret-1');
    const origin = { em: em(), requestId: 'r1', runtime: { name: 'observability' }, viewer: null };
    const { alert } = await recordAlert(origin, {
      severity: 'CRITICAL',
      title: 'chat is down',
      message: 'contact ops-oncall@example.com or card 4111 1111 1111 1111',
      source: 'observability',
      fingerprint: JSON.stringify(['observability', 'test', `webhook-${Date.now()}`]),
    });
    // The outbox relay publishes the alert's event; the test plays it, twice, as an at-least-once bus may.
    const [outboxed] = await em().execute<{ envelope: any }[]>(
      `select "envelope" from ${schemaOf(em())}."outbox_event" where "envelope"->'payload'->>'id' = ?`,
      [alert.id],
    );
    await obs.runtime.bus.publish(Topics.observability.alertTriggered, outboxed.envelope);
    await obs.runtime.bus.publish(Topics.observability.alertTriggered, outboxed.envelope);
    await waitFor(() => receiver.received.length >= 1, { what: 'webhook received' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);

    const [{ headers, body }] = receiver.received;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-sting-event']).toBe(EventTypes.alertTriggered);
    const signature = headers[SIGNATURE_HEADER] as string;
    const timestamp = headers[TIMESTAMP_HEADER] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('receiver-secret-1', { signature, timestamp }, body)).toBe(true);
    // Another secret, a changed body or an old timestamp (a replay) fail the check.
    expect(verifySignature('another-secret', { signature, timestamp }, body)).toBe(false);
    expect(
      verifySignature('receiver-secret-1', { signature, timestamp }, body.replace('CRITICAL', 'INFO')),
    ).toBe(false);
    const later = Number(timestamp) + 3600;
    expect(verifySignature('receiver-secret-1', { signature, timestamp }, body, { now: later })).toBe(false);
    const replayed = signBody('receiver-secret-1', String(later), body);
    expect(replayed).not.toBe(signature);

    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      type: EventTypes.alertTriggered,
      payload: { id: alert.id, title: 'chat is down' },
    });
    expect(body).not.toContain('ops-oncall@example.com');
    expect(body).not.toContain('4111 1111 1111 1111');
    expect(await deliveries(receiver.url)).toMatchObject([{ attempts: 1, last_error: null }]);
  });

  it('retries a failing receiver with growing waits until it answers', async () => {
    const receiver = await standInReceiver([500, 503]);
    receivers.push(receiver);
    await sender(receiver.url, 'receiver-secret-2', { backoffMs: 100, maxBackoffMs: 1000 }, [
      EventTypes.healthFailed,
    ]);
    const event = createEvent(
      EventTypes.healthFailed,
      { component: 'chat', consecutiveChecks: 3 },
      { source: 'observability' },
    );
    await obs.runtime.bus.publish(Topics.observability.healthFailed, event);
    await waitFor(async () => (await deliveries(receiver.url))[0]?.delivered_at != null, {
      what: 'delivered on the third attempt',
    });
    expect(receiver.received).toHaveLength(3);
    const [row] = await deliveries(receiver.url);
    // Waits of 100 ms, then 200 ms, between the attempts.
    expect(new Date(row.delivered_at).getTime() - new Date(row.created_at).getTime()).toBeGreaterThanOrEqual(
      280,
    );
    expect(row).toMatchObject({ attempts: 3, failed_at: null, last_error: null });
    expect(row.delivered_at).not.toBeNull();
    // Each attempt was signed afresh and verifies.
    for (const { headers, body } of receiver.received) {
      const headersOf = {
        signature: headers[SIGNATURE_HEADER] as string,
        timestamp: headers[TIMESTAMP_HEADER] as string,
      };
      expect(verifySignature('receiver-secret-2', headersOf, body)).toBe(true);
    }
  });

  it('gives up after the last attempt and records why', async () => {
    const receiver = await standInReceiver([500, 500, 500, 500]);
    receivers.push(receiver);
    await sender(receiver.url, 'receiver-secret-3', { backoffMs: 20, maxAttempts: 2 }, [
      EventTypes.healthFailed,
    ]);
    await obs.runtime.bus.publish(
      Topics.observability.healthFailed,
      createEvent(EventTypes.healthFailed, { component: 'knowledge' }, { source: 'observability' }),
    );
    await waitFor(async () => (await deliveries(receiver.url))[0]?.failed_at != null, { what: 'given up' });
    const [row] = await deliveries(receiver.url);
    expect(row).toMatchObject({ attempts: 2, delivered_at: null, last_error: 'receiver answered 500' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(2);
  });
});
