// The per-request child logger, apart from logger.ts (which builds the filtered root logger): code that only tags
// records with a request id loads none of the Pollen Filter or log shipping.
import type { Logger } from 'pino';

/** A child logger whose every record carries the request id. */
export function requestLogger(
  logger: Logger,
  requestId: string,
  bindings: Record<string, unknown> = {},
): Logger {
  return logger.child({ requestId, ...bindings });
}
