// The gateway's default audit sink: identity's audit log when this gateway reaches an identity subgraph, else the
// log alone (a generic gateway in front of other services).
import type { Logger } from 'pino';
import type { Federation } from '../federation.ts';
import { loggerAuditSink, type AuditSink } from '../pipeline/audit.ts';
import { BatchingAuditSink } from './batching-sink.ts';
import { identityAuditAppender } from './identity-append.ts';

export { BatchingAuditSink, type BatchingAuditSinkOptions } from './batching-sink.ts';
export { identityAuditAppender, toAuditEventInput, AuditAppendRefused } from './identity-append.ts';

export function defaultAuditSink(federation: Federation, logger: Logger): AuditSink {
  return federation.endpoints.has('identity')
    ? new BatchingAuditSink(identityAuditAppender(federation), logger)
    : loggerAuditSink(logger);
}
