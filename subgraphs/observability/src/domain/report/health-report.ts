// The health report: the platform's state over a period gathered in one document (status and uptime per
// component, alerts, error rate and latency per operation, ingestion and Bee usage, Pollen Filter figures and
// failed sign-ins), stored, and rendered as a PDF when asked. Administrators only.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, checkedInstant, isId, NotFoundError, type Viewer } from '@sting/kit';
import { Alert } from '../../entities/index.ts';
import { schemaOf } from '../events/event-store.ts';
import type { PlatformPollenStats } from '../pollen/pollen-stats.ts';
import { authorize } from '../policies.ts';
import { AlertSeverities, type AlertSeverity, type AlertState } from '../severity.ts';
import { Activity, type BeeUsage, type IngestionFigures, type SignInFigures } from './activity.ts';
import { operationHealth, type OperationHealth } from './operations.ts';
import { renderReportPdf } from './report-pdf.ts';
import { componentUptime, type ComponentUptime } from './uptime.ts';

export type HealthReportFormat = 'JSON' | 'PDF';

export interface HealthReportDocument {
  id: string;
  createdAt: string;
  from: string;
  to: string;
  components: ComponentUptime[];
  alerts: {
    raised: number;
    open: number;
    bySeverity: { severity: AlertSeverity; count: number }[];
    /** The most recent of the period, newest first (at most 50). */
    recent: {
      id: string;
      severity: AlertSeverity;
      title: string;
      source: string;
      state: AlertState;
      createdAt: string;
      count: number;
    }[];
  };
  /** Per operation (first root field), most used first within each type. */
  operations: OperationHealth[];
  /** Per operation type (query, mutation, subscription). */
  operationTypes: OperationHealth[];
  ingestion: IngestionFigures;
  bee: BeeUsage;
  pollenFilter: {
    records: number;
    totalRedactions: number;
    redactions: { type: string; count: number }[];
    /** Personal data found in documents during the period (ingestion's observability.pii.detected). */
    documentFindings: number;
  };
  signIns: SignInFigures;
  /** Where the PDF is downloaded; null for a JSON-only report. */
  pdfUrl: string | null;
}

export interface ReportSources {
  /** The gateway's metrics text, or null when unreachable. */
  gatewayMetrics: () => Promise<string | null>;
  pollenStats: () => Promise<PlatformPollenStats>;
}

export const MAX_REPORT_DAYS = 92;
const DAY = 86_400_000;
export const pdfPath = (id: string) => `/api/beeacon/health-report/${id}.pdf`;

/**
 * The period asked for, checked. One that has not begun is refused: nothing can be reported of it. One that ends
 * later than now is kept as asked; its part after now counts as not watched (see componentUptime).
 */
function period(from: Date | string | null | undefined, to: Date | string | null | undefined, now: Date) {
  const end = checkedInstant(to, 'to') ?? now;
  const start = checkedInstant(from, 'from') ?? new Date(end.getTime() - DAY);
  if (start >= end) throw new BadUserInputError('from must be before to', 'from');
  if (end.getTime() - start.getTime() > MAX_REPORT_DAYS * DAY)
    throw new BadUserInputError(`A report covers at most ${MAX_REPORT_DAYS} days`, 'from');
  if (start >= now) throw new BadUserInputError('from must be in the past: the period has not begun', 'from');
  return { start, end };
}

async function alertFigures(em: EntityManager, from: Date, to: Date) {
  const inPeriod = { createdAt: { $gte: from, $lt: to } };
  const bySeverity = [];
  for (const severity of AlertSeverities) {
    bySeverity.push({ severity, count: await em.count(Alert, { ...inPeriod, severity }) });
  }
  const recent = await em.find(Alert, inPeriod, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 50 });
  return {
    raised: bySeverity.reduce((sum, entry) => sum + entry.count, 0),
    open: await em.count(Alert, { state: { $ne: 'RESOLVED' } }),
    bySeverity,
    recent: recent.map((alert) => ({
      id: alert.id,
      severity: alert.severity,
      title: alert.title,
      source: alert.source,
      state: alert.state,
      createdAt: alert.createdAt.toISOString(),
      count: alert.count,
    })),
  };
}

export async function generateHealthReport(
  scope: { viewer: Viewer | null; em: EntityManager },
  args: { from?: Date | string | null; to?: Date | string | null; format?: HealthReportFormat | null },
  sources: ReportSources,
): Promise<HealthReportDocument> {
  authorize(scope.viewer, 'healthReports');
  const now = new Date();
  const { start, end } = period(args.from, args.to, now);
  const format = args.format ?? 'JSON';
  const em = scope.em;
  const activity = new Activity(em, start, end);
  const pollen = await sources.pollenStats();
  const id = randomUUID();
  const report: HealthReportDocument = {
    id,
    createdAt: new Date().toISOString(),
    from: start.toISOString(),
    to: end.toISOString(),
    components: await componentUptime(em, start, end, now),
    alerts: await alertFigures(em, start, end),
    ...operationHealth(await sources.gatewayMetrics().catch(() => null)),
    ingestion: await activity.ingestion(),
    bee: await activity.bee(),
    pollenFilter: {
      records: pollen.records,
      totalRedactions: pollen.totalRedactions,
      redactions: pollen.redactions.map(({ type, count }) => ({ type, count })),
      documentFindings: await activity.piiFindings(),
    },
    signIns: await activity.signIns(),
    pdfUrl: format === 'PDF' ? pdfPath(id) : null,
  };
  // The PDF is drawn before anything is stored, so a failed rendering leaves no half-written report.
  const pdf = format === 'PDF' ? await renderReportPdf(report) : null;
  await em.execute(
    `insert into ${schemaOf(em)}."health_report" ("id", "created_at", "created_by", "period_from", "period_to", "report", "pdf")
     values (?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      new Date(report.createdAt),
      scope.viewer.kind === 'user' ? scope.viewer.id : null,
      start,
      end,
      JSON.stringify(report),
      pdf,
    ],
  );
  return report;
}

/** A stored report's PDF, base64-encoded (the gateway's download route decodes it). */
export async function healthReportPdf(
  scope: { viewer: Viewer | null; em: EntityManager },
  id: string,
): Promise<string> {
  authorize(scope.viewer, 'healthReports');
  const [row] = isId(id)
    ? await scope.em.execute<{ pdf: Buffer | null }[]>(
        `select "pdf" from ${schemaOf(scope.em)}."health_report" where "id" = ?`,
        [id],
      )
    : [];
  if (!row?.pdf) throw new NotFoundError('HealthReport', id);
  return Buffer.from(row.pdf).toString('base64');
}
