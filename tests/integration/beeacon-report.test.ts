// Beeacon's alert rules, webhooks and health report through the whole platform: failed sign-ins from one
// address fire the failed-sign-in rule (identity's audit records, heard as user.action events, land in the events
// table), the alert goes to a signed webhook; an administrator generates the health report over REST as JSON and as
// a PDF and downloads the PDF; members and anonymous callers are refused. In both topologies (the test's distributed
// platform runs its services in this process too, so the gateway's metrics are read in-process there as well).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '@sting/observability/domain/webhooks/signature.ts';
import { createPeople } from './bee-journey.ts';
import { ADMIN, graphql, startIntegrationPlatform, waitFor, type IntegrationPlatform } from './platform.ts';

const SECRET = 'integration-webhook-secret';

/** A webhook receiver keeping what it was sent. */
async function receiver() {
  const received: { signature: string; timestamp: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        signature: String(req.headers['x-sting-signature']),
        timestamp: String(req.headers['x-sting-timestamp']),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sting`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({ data: bytes, disableFontFace: true, verbosity: 0 }).promise;
  let text = '';
  for (let page = 1; page <= pdf.numPages; page++) {
    for (const item of (await (await pdf.getPage(page)).getTextContent()).items)
      if ('str' in item) text += `${item.str} `;
  }
  return text;
}

describe.each(['embedded', 'distributed'] as const)(
  'Beeacon alert rules, webhooks and the health report (%s)',
  (topology) => {
    let it_: IntegrationPlatform;
    let hook: Awaited<ReturnType<typeof receiver>>;
    let tokens: Record<string, string>;
    beforeAll(async () => {
      hook = await receiver();
      it_ = await startIntegrationPlatform(topology, {
        configure: (config) =>
          ({
            ...config,
            observability: {
              ...config.observability,
              alerts: {
                ...config.observability.alerts,
                evaluationSeconds: 1,
                failedSignIns: { enabled: true, threshold: 3, windowMinutes: 5 },
              },
              webhooks: [{ url: hook.url, secret: SECRET, events: [] }],
            },
          }) as typeof config,
      });
      ({ tokens } = await createPeople(it_.url, [['member', 'MEMBER']]));
    }, 60_000);
    afterAll(async () => {
      await it_?.stop();
      await hook?.close();
    });

    const api = async (method: 'GET' | 'POST', path: string, token?: string, body?: unknown) => {
      const response = await fetch(new URL(path, it_.url), {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      });
      return response;
    };

    it('failed sign-ins from one address raise an alert that goes out as a signed webhook', async () => {
      for (let i = 0; i < 3; i++) {
        const refused = await graphql(
          it_.url,
          'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
          { e: ADMIN.email, p: `wrong password ${i}` },
        );
        expect(refused.errors?.length).toBeGreaterThan(0);
      }
      await waitFor(() => hook.received.some((r) => r.body.includes('failed sign-ins from')), {
        what: 'the failed sign-in alert at the webhook',
        timeoutMs: 15_000,
      });
      const delivery = hook.received.find((r) => r.body.includes('failed sign-ins from'))!;
      expect(verifySignature(SECRET, delivery, delivery.body)).toBe(true);
      const event = JSON.parse(delivery.body);
      expect(event).toMatchObject({
        type: 'observability.alert.triggered',
        payload: { severity: 'WARNING', source: 'observability', state: 'OPEN' },
      });
      expect(event.payload.title).toMatch(/^3 failed sign-ins from /);

      const alerts = await (
        await api('GET', '/api/beeacon/alerts?source=observability', tokens.admin)
      ).json();
      expect(alerts.data.nodes.map((a: { title: string }) => a.title)).toContain(event.payload.title);
    });

    it('generates the report as JSON and as a downloadable PDF, for administrators only', async () => {
      const json = await api('POST', '/api/beeacon/health-report', tokens.admin, {});
      expect(json.status).toBe(200);
      const report = (await json.json()).data;
      expect(report.pdf_url).toBeNull();
      expect(report.sign_ins.failed).toBeGreaterThanOrEqual(3);
      expect(report.alerts.raised).toBeGreaterThanOrEqual(1);
      // The gateway runs in this process: its operations are in the report.
      expect(report.operation_types.map((op: { operation: string }) => op.operation)).toContain('mutation');
      const login = report.operations.find((op: { operation: string }) => op.operation === 'login');
      // The three refused sign-ins are login mutations that failed.
      expect(login).toMatchObject({ operation_type: 'mutation' });
      expect(login.failed).toBeGreaterThanOrEqual(3);
      expect(login.error_rate).toBeGreaterThan(0);

      const asPdf = await api('POST', '/api/beeacon/health-report', tokens.admin, { format: 'PDF' });
      expect(asPdf.status).toBe(200);
      const { id, pdf_url: pdfUrl } = (await asPdf.json()).data;
      expect(pdfUrl).toBe(`/api/beeacon/health-report/${id}.pdf`);
      const download = await api('GET', pdfUrl, tokens.admin);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(download.headers.get('content-disposition')).toContain(`sting-health-report-${id}.pdf`);
      const text = await pdfText(new Uint8Array(await download.arrayBuffer()));
      for (const heading of ['STING health report', 'Components', 'Alerts', 'Operations', 'Failed sign-ins'])
        expect(text).toContain(heading);
      expect(text).toMatch(/Failed: [3-9]/);

      // Members are refused the report and the download, anonymous callers are asked to sign in.
      expect((await api('POST', '/api/beeacon/health-report', tokens.member, {})).status).toBe(403);
      expect((await api('GET', pdfUrl, tokens.member)).status).toBe(403);
      expect((await api('GET', pdfUrl)).status).toBe(401);
      // An unknown report, or a name that is no report file, is 404 in the REST error shape.
      const unknown = await api(
        'GET',
        `/api/beeacon/health-report/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.pdf`,
        tokens.admin,
      );
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe('NOT_FOUND');
      expect((await api('GET', '/api/beeacon/health-report/passwd', tokens.admin)).status).toBe(404);
      // Bad input is 400.
      const backwards = await api('POST', '/api/beeacon/health-report', tokens.admin, {
        from: '2026-01-02T00:00:00Z',
        to: '2026-01-01T00:00:00Z',
      });
      expect(backwards.status).toBe(400);
    });

    it('serves the event summary for the charts to administrators', async () => {
      const summary = await api('GET', '/api/beeacon/events/summary?days=7', tokens.admin);
      expect(summary.status).toBe(200);
      const body = await summary.json();
      expect(body.data.since).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(Array.isArray(body.data.counts)).toBe(true);
      expect((await api('GET', '/api/beeacon/events/summary?days=7', tokens.member)).status).toBe(403);
    });

    it('lists the alert rules with their open alerts', async () => {
      const rules = await api('GET', '/api/beeacon/alert-rules', tokens.admin);
      expect(rules.status).toBe(200);
      const signIns = (await rules.json()).data.find(
        (rule: { name: string }) => rule.name === 'failed-sign-ins',
      );
      expect(signIns).toMatchObject({ enabled: true, severity: 'WARNING' });
      expect(signIns.condition).toBe('3 or more failed sign-ins from one client address within 5 min');
      expect(signIns.open_alerts).toBeGreaterThanOrEqual(1);
      expect((await api('GET', '/api/beeacon/alert-rules', tokens.member)).status).toBe(403);
    });
  },
);
