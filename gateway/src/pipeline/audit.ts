// Stage 6, audit hook: one record for every mutation field and every write through a plain HTTP route (REST
// writes run a mutation, so they are recorded here too): who did what to which target, with what outcome, from
// where. An AuditSink receives the records; the default writes each through the logger (so the Pollen Filter sees
// it). A database sink can be plugged in later without touching the stages.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Viewer } from '@sting/kit';
import type { GatewayContext } from '../context.ts';
import { argumentValue, executedRootFields, responseKey } from './root-fields.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditRecord {
  /** `user:<id>`, `system` or `anonymous`. */
  actor: string;
  /** `mutation <field>` for GraphQL, the route's name for a plain HTTP route. */
  action: string;
  /** What it acted on: the id arguments it named (`id`, `…Id`), or the HTTP path. */
  target?: string;
  outcome: AuditOutcome;
  /** The error code when the outcome is not a success. */
  code?: string;
  requestId: string;
  clientAddress: string;
  /** Which front door: `graphql` (HTTP or graphql-ws), `rest`, `http`. */
  via: string;
}

export interface AuditSink {
  record(entry: AuditRecord): void | Promise<void>;
}

/** The default sink: one structured `audit` log record per entry, at info level. */
export function loggerAuditSink(logger: Logger): AuditSink {
  const audit = logger.child({ component: 'audit' });
  return { record: (entry) => audit.info({ audit: entry }, `audit ${entry.action} ${entry.outcome}`) };
}

export function actorOf(viewer: Viewer | null | undefined): string {
  if (!viewer) return 'anonymous';
  return viewer.kind === 'user' ? `user:${viewer.id}` : 'system';
}

/** Refusals that mean the caller was not allowed, as opposed to a request that failed. */
const DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED']);

export function outcomeOf(code: string | undefined): AuditOutcome {
  if (!code) return 'success';
  return DENIED.has(code) ? 'denied' : 'failure';
}

/** Hands a record to the sink; a failing sink is logged and never fails the request. */
export function recordAudit(sink: AuditSink, logger: Pick<Logger, 'error'>, entry: AuditRecord): void {
  try {
    Promise.resolve(sink.record(entry)).catch((err: unknown) =>
      logger.error({ err, requestId: entry.requestId }, 'audit sink failed'),
    );
  } catch (err) {
    logger.error({ err, requestId: entry.requestId }, 'audit sink failed');
  }
}

function errorFor(errors: readonly GraphQLFormattedError[] | undefined, key: string) {
  // An error on this field's path, else one for the whole operation (no path): both mean it did not happen.
  return errors?.find((e) => e.path?.[0] === key) ?? errors?.find((e) => !e.path);
}

export function auditPlugin(sink: AuditSink, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, document, request, response }) {
          if (operation?.operation !== 'mutation' || !document) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const variables = request.variables;
          for (const field of executedRootFields(document, operation, variables)) {
            const ids = (field.arguments ?? [])
              .filter((a) => a.name.value === 'id' || a.name.value.endsWith('Id'))
              .map((a) => `${a.name.value}=${String(argumentValue(field, a.name.value, variables))}`);
            const error = errorFor(result?.errors, responseKey(field));
            const code = error ? String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : undefined;
            recordAudit(sink, logger, {
              actor: actorOf(contextValue.viewer),
              action: `mutation ${field.name.value}`,
              ...(ids.length ? { target: ids.join(',') } : {}),
              outcome: outcomeOf(code),
              ...(code ? { code } : {}),
              requestId: contextValue.requestId,
              clientAddress: contextValue.clientAddress ?? 'unknown',
              via: contextValue.frontDoor ?? 'graphql',
            });
          }
        },
      };
    },
  };
}
