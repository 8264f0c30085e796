// The health report against a real PostgreSQL: uptime per component from the status history, the period's
// alerts, operations from the gateway's metrics, ingestion, Bee usage, Pollen figures and failed sign-ins from the
// events table; as JSON, and as a stored PDF that parses and shows the headings and figures. Administrators only.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, EventTypes, type EventType } from '@sting/kit';
import { ComponentTransition } from '../src/entities/index.ts';
import { EventStore } from '../src/domain/events/event-store.ts';
import { projectEvent } from '../src/domain/events/projection.ts';
import { componentUptime } from '../src/domain/report/uptime.ts';
import type { ComponentKind } from '../src/domain/status/probe.ts';
import { buildAlert } from './factories.ts';
import { pdfText } from './pdf-text.ts';
import { buildViewer, startObservability, type ObservabilityHarness } from './harness.ts';

const HOUR = 3_600_000;
const GENERATE = `mutation ($from: DateTime, $to: DateTime, $format: HealthReportFormat) {
  generateHealthReport(input: { from: $from, to: $to, format: $format }) {
    id from to pdfUrl
    components { name kind up uptimePercent downtimeSeconds unwatchedSeconds outages }
    alerts { raised open bySeverity { severity count } recent { title severity state } }
    operations { operation operationType requests failed errorRate p99Seconds }
    operationTypes { operation requests }
    ingestion { documentsReady documentsFailed readyPerDay { day value } }
    bee { answers tokens people messages answersPerDay { day value } }
    pollenFilter { records totalRedactions documentFindings redactions { type count } }
    signIns { succeeded failed topFailingAddresses { address failures } failedPerDay { day value } }
  }
}`;
const PDF = `query ($id: ID!) { healthReportPdf(id: $id) }`;

/** A component's state from `at` in the status history, as the periodic check records it (flushed by the caller). */
const transition = (
  em: EntityManager,
  component: string,
  kind: ComponentKind,
  up: boolean,
  at: Date,
  watched: boolean,
) => em.create(ComponentTransition, { id: randomUUID(), component, kind, up, watched, detail: null, at });

describe('the health report', () => {
  let obs: ObservabilityHarness;
  const store = new EventStore();
  // The period: the last 10 hours, away from any other test's rows.
  const to = new Date();
  const from = new Date(to.getTime() - 10 * HOUR);
  const at = (hoursAgo: number) => new Date(to.getTime() - hoursAgo * HOUR);
  beforeAll(async () => {
    obs = await startObservability();
    const em = obs.em() as unknown as EntityManager;
    const record = (type: EventType, payload: unknown, when: Date, metadata = {}) =>
      store.insert(
        em,
        projectEvent({
          ...createEvent(type, payload, { source: 'test', metadata }),
          timestamp: when.toISOString(),
        }),
      );
    // The database was down from 4 to 3 hours ago; chat went down 12 hours ago (before the period) and came back 5
    // hours ago; knowledge has been up throughout; nothing checked redis from 8 to 6 hours ago (the platform was
    // stopped), and it was down from 2 to 1 hour ago.
    for (const [component, kind, up, hoursAgo, watched = true] of [
      ['postgres', 'DATABASE', true, 20],
      ['postgres', 'DATABASE', false, 4],
      ['postgres', 'DATABASE', true, 3],
      ['chat', 'SUBGRAPH', false, 12],
      ['chat', 'SUBGRAPH', true, 5],
      ['knowledge', 'SUBGRAPH', true, 30],
      ['redis', 'CACHE', true, 20],
      ['redis', 'CACHE', true, 8, false],
      ['redis', 'CACHE', true, 6],
      ['redis', 'CACHE', false, 2],
      ['redis', 'CACHE', true, 1],
    ] as const)
      transition(em, component, kind, up, at(hoursAgo), watched);
    await em.flush();
    await buildAlert(em, {
      title: 'postgres is down',
      severity: 'CRITICAL',
      createdAt: at(4),
      state: 'RESOLVED',
    });
    await buildAlert(em, { title: 'error rate high', severity: 'WARNING', createdAt: at(2) });
    await buildAlert(em, { title: 'long ago', severity: 'INFO', createdAt: at(30) });
    const alice = randomUUID();
    for (const doc of [randomUUID(), randomUUID()])
      await record(EventTypes.documentStatusChanged, { id: doc, processingStatus: 'READY' }, at(6));
    await record(EventTypes.documentStatusChanged, { id: randomUUID(), processingStatus: 'FAILED' }, at(6));
    await record(
      EventTypes.aiAnalysisComplete,
      { kind: 'bee.answer', userId: alice, tokensIn: 300, tokensOut: 120 },
      at(1),
    );
    await record(EventTypes.chatMessageCreated, { role: 'USER', authorId: alice, text: 'hi' }, at(1));
    await record(EventTypes.piiDetected, { source: 'document', counts: { EMAIL: 7 } }, at(6));
    for (let i = 0; i < 4; i += 1)
      await record(
        EventTypes.userAction,
        { action: 'auth.sign_in', outcome: 'failure', clientAddress: '198.51.100.9' },
        at(2),
      );
    await record(
      EventTypes.userAction,
      { action: 'auth.sign_in', outcome: 'success', clientAddress: '198.51.100.10' },
      at(2),
    );
    await record(
      EventTypes.userAction,
      { action: 'auth.sign_in', outcome: 'failure', clientAddress: '198.51.100.9' },
      at(20),
    );
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('works out uptime from the transitions, the state before the period included', async () => {
    const uptime = await componentUptime(obs.em() as unknown as EntityManager, from, to);
    expect(uptime).toEqual(
      [
        {
          name: 'chat',
          kind: 'SUBGRAPH',
          up: true,
          uptimePercent: 50,
          downtimeSeconds: 5 * 3600,
          outages: 0,
        },
        { name: 'knowledge', kind: 'SUBGRAPH', up: true, uptimePercent: 100, downtimeSeconds: 0, outages: 0 },
        {
          name: 'postgres',
          kind: 'DATABASE',
          up: true,
          uptimePercent: 90,
          downtimeSeconds: 3600,
          outages: 1,
        },
        // Of the 8 hours watched, 7 up; the 2 hours not watched count neither way.
        { name: 'redis', kind: 'CACHE', up: true, uptimePercent: 87.5, downtimeSeconds: 3600, outages: 1 },
      ].map((component) => ({ unwatchedSeconds: component.name === 'redis' ? 2 * 3600 : 0, ...component })),
    );
  });

  it('as JSON: the period’s figures, stored, for administrators only', async () => {
    const result = await obs.run(buildViewer('ADMIN'), GENERATE, { from, to, format: 'JSON' });
    expect(result.errors).toBeUndefined();
    const report = result.data!.generateHealthReport;
    expect(report.pdfUrl).toBeNull();
    expect(report.components.find((c: any) => c.name === 'redis')).toMatchObject({
      uptimePercent: 87.5,
      unwatchedSeconds: 7200,
    });
    expect(report.alerts.raised).toBe(2);
    expect(report.alerts.bySeverity).toEqual([
      { severity: 'INFO', count: 0 },
      { severity: 'WARNING', count: 1 },
      { severity: 'CRITICAL', count: 1 },
    ]);
    expect(report.alerts.recent.map((a: any) => a.title)).toEqual(['error rate high', 'postgres is down']);
    expect(report.ingestion).toMatchObject({ documentsReady: 2, documentsFailed: 1 });
    expect(report.bee).toMatchObject({ answers: 1, tokens: 420, people: 1, messages: 1 });
    expect(report.pollenFilter.documentFindings).toBe(7);
    expect(report.signIns).toMatchObject({
      succeeded: 1,
      failed: 4,
      topFailingAddresses: [{ address: '198.51.100.9', failures: 4 }],
    });
    // No gateway in this process: the operations are empty rather than invented.
    expect(report.operations).toEqual([]);
    expect(report.operationTypes).toEqual([]);

    const member = await obs.run(buildViewer('MEMBER'), GENERATE, { from, to });
    expect(member.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const backwards = await obs.run(buildViewer('ADMIN'), GENERATE, { from: to, to: from });
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooLong = await obs.run(buildViewer('ADMIN'), GENERATE, { from: new Date(0), to });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('as a PDF: stored, downloadable by administrators, parses, and shows the headings and figures', async () => {
    const admin = buildViewer('ADMIN');
    const result = await obs.run(admin, GENERATE, { from, to, format: 'PDF' });
    expect(result.errors).toBeUndefined();
    const { id, pdfUrl } = result.data!.generateHealthReport;
    expect(pdfUrl).toBe(`/api/beeacon/health-report/${id}.pdf`);
    const download = await obs.run(admin, PDF, { id });
    expect(download.errors).toBeUndefined();
    const bytes = Buffer.from(download.data!.healthReportPdf, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = await pdfText(new Uint8Array(bytes));
    expect(pages).toBeGreaterThanOrEqual(1);
    for (const heading of [
      'STING health report',
      'Components',
      'Alerts',
      'Operations',
      'Ingestion',
      'Bee usage',
      'Pollen Filter',
      'Failed sign-ins',
    ])
      expect(text).toContain(heading);
    expect(text).toContain('uptime 90%');
    expect(text).toContain('3600 s down, 7200 s not watched');
    expect(text).toContain('Documents ready: 2; failed: 1');
    expect(text).toContain('198.51.100.9');
    expect(text).toContain('Failed: 4; succeeded: 1');

    expect((await obs.run(buildViewer('MEMBER'), PDF, { id })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await obs.run(admin, PDF, { id: randomUUID() })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // A JSON-only report has no PDF to download.
    const json = await obs.run(admin, GENERATE, { from, to });
    const jsonPdf = await obs.run(admin, PDF, { id: json.data!.generateHealthReport.id });
    expect(jsonPdf.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('time nobody watched, in the health report', () => {
  let obs: ObservabilityHarness;
  const admin = buildViewer('ADMIN');
  const now = new Date();
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
  beforeAll(async () => {
    // A history of its own: every component with a transition before a period shows in its report.
    obs = await startObservability();
    const em = obs.em() as unknown as EntityManager;
    // The vector store was first checked 6 hours ago, and was down from 3 to 2 hours ago. Nothing has checked
    // grafana since 30 hours ago (its checks stopped).
    for (const [component, kind, up, hoursAgo, watched] of [
      ['vector-store', 'VECTOR_STORE', true, 6, true],
      ['vector-store', 'VECTOR_STORE', false, 3, true],
      ['vector-store', 'VECTOR_STORE', true, 2, true],
      ['grafana', 'SUBGRAPH', true, 30, false],
    ] as const)
      transition(em, component, kind, up, at(hoursAgo), watched);
    await em.flush();
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('counts the time before a component’s first check and the time still to come as not watched', async () => {
    const uptime = await componentUptime(obs.em() as unknown as EntityManager, at(10), at(-2), now);
    expect(uptime).toEqual([
      // Never watched in the period: its uptime is no measurement, all of it is unwatched.
      {
        name: 'grafana',
        kind: 'SUBGRAPH',
        up: true,
        uptimePercent: 100,
        downtimeSeconds: 0,
        unwatchedSeconds: 12 * 3600,
        outages: 0,
      },
      // 4 hours before its first check and the 2 hours to come are not watched; of the 6 watched, 5 up.
      {
        name: 'vector-store',
        kind: 'VECTOR_STORE',
        up: true,
        uptimePercent: 83.33,
        downtimeSeconds: 3600,
        unwatchedSeconds: 6 * 3600,
        outages: 1,
      },
    ]);
  });

  it('shows it in the JSON and the PDF of a period that ends later than now', async () => {
    const result = await obs.run(admin, GENERATE, { from: at(10), to: at(-2), format: 'PDF' });
    expect(result.errors).toBeUndefined();
    const report = result.data!.generateHealthReport;
    const vectorStore = report.components.find((c: any) => c.name === 'vector-store');
    // The report's now is a moment after the test's.
    expect(Math.abs(vectorStore.unwatchedSeconds - 6 * 3600)).toBeLessThan(60);
    expect(vectorStore).toMatchObject({ downtimeSeconds: 3600, outages: 1 });
    const download = await obs.run(admin, PDF, { id: report.id });
    const { text } = await pdfText(new Uint8Array(Buffer.from(download.data!.healthReportPdf, 'base64')));
    expect(text).toContain('grafana (subgraph): up, not watched, 0 outages, 0 s down, 43200 s not watched');
    expect(text).toMatch(
      /vector-store \(vector_store\): up, uptime 83\.\d+%, 1 outage, 3600 s down, 2\d{4} s not watched/,
    );
  });

  it('refuses a period that has not begun, and times outside the years 1 to 9999', async () => {
    const schema = obs.orm.config.get('schema');
    const stored = async () =>
      (await obs.em().execute<{ n: string }[]>(`select count(*) as n from "${schema}"."health_report"`))[0].n;
    const before = await stored();
    const ahead = await obs.run(admin, GENERATE, { from: at(-1), to: at(-2) });
    expect(ahead.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    for (const [from, to] of [
      ['9999-10-01T00:00:00Z', '9999-12-31T00:00:00Z'],
      ['+010000-01-01T00:00:00Z', '+010000-02-01T00:00:00Z'],
      ['-000001-01-01T00:00:00Z', '-000001-02-01T00:00:00Z'],
    ]) {
      const refused = await obs.run(admin, GENERATE, { from, to });
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // Nothing refused was stored.
    expect(await stored()).toBe(before);
  });
});
