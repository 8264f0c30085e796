// The health report as a PDF a person reads: a title page summary, then one section per part of the report with
// its figures and a chart. Drawn with pdfkit's standard fonts and vector API, entirely in memory.
import PDFDocument from 'pdfkit';
import { barChart, COLORS, lineChart } from './pdf-charts.ts';
import type { HealthReportDocument } from './health-report.ts';

type Doc = InstanceType<typeof PDFDocument>;

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const seconds = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(3)} s`);
/** "1 request", "2 requests". */
const counted = (count: number, noun: string) =>
  `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;

const operationLine = (op: HealthReportDocument['operations'][number]) =>
  `${op.operation}${op.operation === op.operationType ? '' : ` (${op.operationType})`}: ${counted(op.requests, 'request')}, ` +
  `${op.failed} failed (${percent(op.errorRate)}), p50 ${seconds(op.p50Seconds)}, p99 ${seconds(op.p99Seconds)}`;

function heading(doc: Doc, text: string): void {
  // A heading near the foot of a page starts the next one, with its figures and chart.
  if (doc.y > doc.page.height - 220) doc.addPage();
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(14).fillColor(COLORS.text).text(text);
  doc.font('Helvetica').fontSize(10).moveDown(0.3);
}

function line(doc: Doc, text: string): void {
  doc.font('Helvetica').fontSize(10).fillColor(COLORS.text).text(text);
}

export function renderReportPdf(report: HealthReportDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: 'STING health report', Author: 'STING Beeacon', CreationDate: new Date(report.createdAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).text('STING health report');
  doc.font('Helvetica').fontSize(10).fillColor(COLORS.axis);
  doc.text(`Period: ${report.from} to ${report.to}`);
  doc.text(`Generated: ${report.createdAt}  (report ${report.id})`);
  doc.fillColor(COLORS.text);

  heading(doc, 'Components');
  if (report.components.length === 0) line(doc, 'No status history recorded in this period.');
  // A component nothing checked during the period (all of it before its first check, or yet to come) has no
  // uptime to show: its 100 would read as a measured one.
  const periodSeconds = Math.round((Date.parse(report.to) - Date.parse(report.from)) / 1000);
  const watched = report.components.filter((component) => component.unwatchedSeconds < periodSeconds);
  for (const component of report.components) {
    const uptime = watched.includes(component) ? `uptime ${component.uptimePercent}%` : 'not watched';
    line(
      doc,
      `${component.name} (${component.kind.toLowerCase()}): ${component.up ? 'up' : 'DOWN'}, ${uptime}, ` +
        `${counted(component.outages, 'outage')}, ${component.downtimeSeconds} s down` +
        (component.unwatchedSeconds > 0 ? `, ${component.unwatchedSeconds} s not watched` : ''),
    );
  }
  barChart(
    doc,
    watched.map((component) => ({
      label: component.name,
      value: component.uptimePercent,
      color: component.uptimePercent < 99 ? COLORS.bad : undefined,
    })),
    { unit: '%', max: 100 },
  );

  heading(doc, 'Alerts');
  line(doc, `Raised in the period: ${report.alerts.raised}; unresolved now: ${report.alerts.open}`);
  barChart(
    doc,
    report.alerts.bySeverity.map(({ severity, count }) => ({ label: severity, value: count })),
  );
  for (const alert of report.alerts.recent.slice(0, 15)) {
    line(
      doc,
      `${alert.createdAt}  ${alert.severity}  ${alert.state}  ${alert.title} (${alert.source}, x${alert.count})`,
    );
  }

  heading(doc, 'Operations');
  if (report.operationTypes.length === 0) line(doc, 'The gateway metrics could not be read.');
  else line(doc, 'Since the gateway started, per operation type:');
  for (const op of report.operationTypes) line(doc, operationLine(op));
  barChart(
    doc,
    report.operationTypes.map((op) => ({
      label: `${op.operation} error rate`,
      value: Math.round(op.errorRate * 1000) / 10,
    })),
    { unit: '%' },
  );
  if (report.operations.length > 0) {
    line(doc, 'Per operation (first root field):');
    for (const op of report.operations.slice(0, 40)) line(doc, operationLine(op));
    barChart(
      doc,
      [...report.operations]
        .sort((a, b) => (b.p99Seconds ?? 0) - (a.p99Seconds ?? 0))
        .slice(0, 12)
        .map((op) => ({ label: `${op.operation} p99`, value: Math.round((op.p99Seconds ?? 0) * 1000) })),
      { unit: ' ms' },
    );
  }

  heading(doc, 'Ingestion');
  line(
    doc,
    `Documents ready: ${report.ingestion.documentsReady}; failed: ${report.ingestion.documentsFailed}`,
  );
  lineChart(doc, report.ingestion.readyPerDay, { title: 'Documents ready per day:' });

  heading(doc, 'Bee usage');
  line(
    doc,
    `Answers: ${report.bee.answers}; tokens: ${report.bee.tokens}; people asking: ${report.bee.people}; questions: ${report.bee.messages}`,
  );
  lineChart(doc, report.bee.answersPerDay, { title: 'Answers per day:' });

  heading(doc, 'Pollen Filter');
  line(
    doc,
    `Records filtered: ${report.pollenFilter.records}; redactions: ${report.pollenFilter.totalRedactions}; ` +
      `personal data found in documents: ${report.pollenFilter.documentFindings}`,
  );
  barChart(
    doc,
    report.pollenFilter.redactions.map(({ type, count }) => ({ label: type, value: count })),
  );

  heading(doc, 'Failed sign-ins');
  line(doc, `Failed: ${report.signIns.failed}; succeeded: ${report.signIns.succeeded}`);
  lineChart(doc, report.signIns.failedPerDay, { title: 'Failed sign-ins per day:' });
  if (report.signIns.topFailingAddresses.length > 0) {
    line(doc, 'Addresses with the most failures:');
    barChart(
      doc,
      report.signIns.topFailingAddresses.map(({ address, failures }) => ({
        label: address,
        value: failures,
      })),
    );
  }

  doc.end();
  return done;
}
