// What the events table keeps of a bus event: its type, who and what it is about, an outcome and an amount to
// sum. Payloads are reduced to such figures and identifiers on purpose: message text, document titles and
// personal data never land here.
import type { EventEnvelope } from '@sting/kit';

export interface EventRow {
  id: string;
  type: string;
  /** A finer kind within the type: the audit action, the answer kind. */
  kind: string;
  source: string;
  occurredAt: Date;
  actorId: string | null;
  /** What it is about: a client address, a document, a component, a process. */
  subject: string | null;
  outcome: string;
  /** What the summary sums: PII findings, tokens; 1 otherwise. */
  amount: number;
  details: Record<string, string | number | boolean | null>;
}

type Payload = Record<string, unknown>;

const str = (value: unknown, max = 200): string | null =>
  typeof value === 'string' && value !== '' ? value.slice(0, max) : null;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The projection of each event type; a type not listed keeps only its envelope fields. */
const projections: Record<string, (payload: Payload) => Partial<EventRow>> = {
  'user.action': (p) => ({
    kind: str(p.action) ?? '',
    subject: str(p.clientAddress, 100),
    outcome: str(p.outcome, 50) ?? '',
    details: { targetType: str(p.targetType, 50) },
  }),
  'knowledge.document.status_changed': (p) => ({
    subject: str(p.id),
    outcome: str(p.processingStatus, 50) ?? '',
    actorId: str(p.uploadedBy, 100),
    details: { honeyJarId: str(p.honeyJarId), fileType: str(p.fileType, 50) },
  }),
  'observability.pii.detected': (p) => {
    const counts = (typeof p.counts === 'object' && p.counts !== null ? p.counts : {}) as Payload;
    const details: EventRow['details'] = {};
    for (const [type, count] of Object.entries(counts)) details[type.slice(0, 50)] = num(count);
    return {
      kind: str(p.source, 50) ?? '',
      subject: str(p.documentId),
      amount: Object.values(details).reduce<number>((sum, count) => sum + num(count), 0),
      details,
    };
  },
  'ai.analysis.complete': (p) => ({
    kind: str(p.kind, 50) ?? '',
    actorId: str(p.userId, 100),
    subject: str(p.conversationId),
    amount: num(p.tokensIn) + num(p.tokensOut),
    details: {
      provider: str(p.provider, 50),
      model: str(p.model, 100),
      tokensIn: num(p.tokensIn),
      tokensOut: num(p.tokensOut),
      totalTimeMs: num(p.totalTimeMs),
    },
  }),
  'chat.message.created': (p) => ({
    kind: str(p.role, 50) ?? '',
    actorId: str(p.authorId, 100),
    subject: str(p.conversationId),
    outcome: str(p.status, 50) ?? '',
  }),
  'observability.alert.triggered': (p) => ({
    kind: str(p.source, 100) ?? '',
    subject: str(p.fingerprint),
    outcome: str(p.severity, 50) ?? '',
    details: { title: str(p.title) },
  }),
  'observability.health.failed': (p) => ({ subject: str(p.component), kind: str(p.kind, 50) ?? '' }),
  'launcher.restart': (p) => ({
    subject: str(p.process, 100),
    details: { exit: str(p.exit, 100), restartInMs: num(p.restartInMs) },
  }),
};

export function projectEvent(event: EventEnvelope<unknown>): EventRow {
  const payload = (
    typeof event.payload === 'object' && event.payload !== null ? event.payload : {}
  ) as Payload;
  const at = new Date(event.timestamp);
  const base: EventRow = {
    id: event.id,
    type: event.type,
    kind: '',
    source: String(event.source).slice(0, 100),
    occurredAt: Number.isNaN(at.getTime()) ? new Date() : at,
    actorId: str(event.metadata?.actorId, 100),
    subject: str(payload.id),
    outcome: '',
    amount: 1,
    details: {},
  };
  const project = projections[event.type] ?? (() => ({}));
  const fields = Object.fromEntries(Object.entries(project(payload)).filter(([, v]) => v !== undefined));
  return { ...base, ...fields, actorId: (fields.actorId as string | null) ?? base.actorId };
}
