// The platform's own metrics, shared by every component of a process (gateway, embedded subgraphs, a standalone
// subgraph): one registry per process, appended to whatever /metrics that process serves. Counted where the facts
// pass anyway (the bus, the logger, the subgraph front door), so no component keeps figures of its own. Every label
// takes values from a closed set (event types, log levels, redaction types, subgraph names, outcomes): an unknown
// value is counted as `other`, never as itself.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
// The list alone (not the package's index): a process that counts no redactions loads no Pollen Filter.
import { BUILT_IN_TYPES } from '@sting/pollen-filter/types';
import { EventTypes, isEventType } from '../bus/topics.ts';
import type { EventEnvelope } from '../bus/envelope.ts';
import { processLogShipping } from '../logging/log-shipping.ts';

export const platformRegistry = new Registry();

const oneOf = (allowed: ReadonlySet<string>, value: unknown): string =>
  typeof value === 'string' && allowed.has(value) ? value : 'other';
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const REDACTION_TYPES = new Set<string>(BUILT_IN_TYPES);
const SEVERITIES = new Set(['INFO', 'WARNING', 'CRITICAL']);
const SUBGRAPHS = new Set(['identity', 'honey-jars', 'knowledge', 'chat', 'observability']);

const registers = [platformRegistry];
export const PlatformMetrics = {
  subgraphRequests: new Counter({
    name: 'sting_subgraph_requests_total',
    help: 'Operations a subgraph answered (from the gateway), by outcome',
    labelNames: ['subgraph', 'outcome'],
    registers,
  }),
  subgraphDuration: new Histogram({
    name: 'sting_subgraph_request_duration_seconds',
    help: 'Time a subgraph took to answer one operation',
    labelNames: ['subgraph'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
  events: new Counter({
    name: 'sting_events_published_total',
    help: 'Platform events published on their own topic, by type',
    labelNames: ['type'],
    registers,
  }),
  beeQuestions: new Counter({
    name: 'sting_bee_questions_total',
    help: 'Questions people asked Bee',
    registers,
  }),
  beeTokens: new Counter({
    name: 'sting_bee_tokens_total',
    help: 'Model tokens of Bee answers, by direction (prompt in, answer out)',
    labelNames: ['direction'],
    registers,
  }),
  alerts: new Counter({
    name: 'sting_alerts_raised_total',
    help: 'Beeacon alerts raised, by severity',
    labelNames: ['severity'],
    registers,
  }),
  piiDetections: new Counter({
    name: 'sting_pii_detections_total',
    help: 'Personal data found by ingestion in documents, by type',
    labelNames: ['type'],
    registers,
  }),
  redactions: new Counter({
    name: 'sting_pollen_filter_redactions_total',
    help: 'Values the Pollen Filter redacted from log records, by type',
    labelNames: ['type'],
    registers,
  }),
  logRecords: new Counter({
    name: 'sting_log_records_total',
    help: 'Log records written (after the Pollen Filter), by level',
    labelNames: ['level'],
    registers,
  }),
};

/** A gauge read when scraped from the sources registered now (a subgraph's database, a buffer's size). */
export class SourcedGauge {
  readonly #sources = new Set<() => Promise<Record<string, number>> | Record<string, number>>();

  constructor(name: string, help: string, label: string | null) {
    const sources = this.#sources;
    new Gauge({
      name,
      help,
      labelNames: label ? [label] : [],
      registers,
      async collect() {
        this.reset();
        for (const source of sources) {
          try {
            for (const [value, amount] of Object.entries(await source()))
              if (label) this.inc({ [label]: value }, amount);
              else this.inc(amount);
          } catch {
            // a source that cannot answer now (its database restarting) leaves its share out of this scrape
          }
        }
      },
    });
  }

  /** `read` answers `{ labelValue: amount }` (`{ '': amount }` without a label); the result unregisters it. */
  add(read: () => Promise<Record<string, number>> | Record<string, number>): () => void {
    this.#sources.add(read);
    return () => void this.#sources.delete(read);
  }
}

export const PlatformGauges = {
  activeHoneyJars: new SourcedGauge('sting_honey_jars_active', 'Honey jars that exist now', null),
  ingestionQueue: new SourcedGauge(
    'sting_ingestion_queue_depth',
    'Ingestion jobs waiting or running, by state',
    'state',
  ),
  logBacklog: new SourcedGauge(
    'sting_log_shipping_backlog_records',
    'Log records buffered for shipping (Loki or the log store) and not yet accepted',
    null,
  ),
  logDropped: new SourcedGauge(
    'sting_log_shipping_dropped_records',
    'Log records dropped by shipping since the process started (buffer full, refused)',
    null,
  ),
};

// This process's log shipping, whichever target it ships to.
PlatformGauges.logBacklog.add(() => ({ '': processLogShipping()?.stats()?.backlog ?? 0 }));
PlatformGauges.logDropped.add(() => ({ '': processLogShipping()?.stats()?.dropped ?? 0 }));

export function countSubgraphRequest(subgraph: string, seconds: number, failed: boolean): void {
  const name = oneOf(SUBGRAPHS, subgraph);
  PlatformMetrics.subgraphRequests.inc({ subgraph: name, outcome: failed ? 'error' : 'success' });
  PlatformMetrics.subgraphDuration.observe({ subgraph: name }, seconds);
}

export function countLogRecord(level: unknown): void {
  PlatformMetrics.logRecords.inc({ level: oneOf(LEVELS, level) });
}

const count = (counter: Counter<'type'>, counts: unknown) => {
  if (!counts || typeof counts !== 'object') return;
  for (const [type, amount] of Object.entries(counts))
    if (typeof amount === 'number' && amount > 0) counter.inc({ type: oneOf(REDACTION_TYPES, type) }, amount);
};

/**
 * Counts what a published event says about the platform. Only publishes on the event type's own topic count
 * (a message also goes to its conversation's topic, which would count it twice).
 */
export function countPublishedEvent(topic: string, event: EventEnvelope): void {
  if (topic !== event.type || !isEventType(event.type)) return;
  PlatformMetrics.events.inc({ type: event.type });
  const payload = event.payload as Record<string, unknown> | null;
  if (!payload || typeof payload !== 'object') return;
  switch (event.type) {
    case EventTypes.chatMessageCreated:
      if (payload.role === 'USER') PlatformMetrics.beeQuestions.inc();
      if (typeof payload.tokensIn === 'number')
        PlatformMetrics.beeTokens.inc({ direction: 'in' }, payload.tokensIn);
      if (typeof payload.tokensOut === 'number')
        PlatformMetrics.beeTokens.inc({ direction: 'out' }, payload.tokensOut);
      break;
    case EventTypes.alertTriggered:
      PlatformMetrics.alerts.inc({ severity: oneOf(SEVERITIES, payload.severity) });
      break;
    case EventTypes.piiDetected:
      count(PlatformMetrics.piiDetections, payload.counts);
      break;
    case EventTypes.logSanitized:
      count(PlatformMetrics.redactions, payload.redactions);
      break;
  }
}

/** The process's platform metrics in the Prometheus text format (appended after a component's own). */
export function platformMetricsText(): Promise<string> {
  return platformRegistry.metrics();
}
