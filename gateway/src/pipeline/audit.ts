// Stage 6, audit hook: one record for every mutation field, every write through a plain HTTP route (REST writes
// run a mutation, so they are recorded here too) and every field of any operation refused as UNAUTHENTICATED or
// FORBIDDEN: who did what to which target, with what outcome, from where. An AuditSink receives the records; the
// gateway's default appends them to identity's audit log in batches (audit/batching-sink.ts) and logs each through
// the logger (so the Pollen Filter sees it); `loggerAuditSink` only logs.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import type { GatewayContext } from '../context.ts';
import { argumentValue, executedRootFields, responseKey } from '@sting/kit/graphql/root-fields.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditRecord {
  /** `user:<id>`, `api_key:<key id>`, `system` or `anonymous`. */
  actor: string;
  /** The person who acted (for an API key, its owner). */
  actorId?: string;
  /** The API key they acted with. */
  apiKeyId?: string;
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
  /** Hands on what is still held (the gateway calls it when it stops). */
  close?(): Promise<void>;
}

/** The default sink: one structured `audit` log record per entry, at info level. */
export function loggerAuditSink(logger: Logger): AuditSink {
  const audit = logger.child({ component: 'audit' });
  return { record: (entry) => audit.info({ audit: entry }, `audit ${entry.action} ${entry.outcome}`) };
}

export function actorOf(viewer: Viewer | null | undefined): string {
  if (!viewer) return 'anonymous';
  if (viewer.kind === 'system') return 'system';
  return viewer.apiKey ? `api_key:${viewer.apiKey.id}` : `user:${viewer.id}`;
}

/** The actor fields of a record: who, and the ids behind it. */
export function auditActor(
  viewer: Viewer | null | undefined,
): Pick<AuditRecord, 'actor' | 'actorId' | 'apiKeyId'> {
  if (viewer?.kind !== 'user') return { actor: actorOf(viewer) };
  return {
    actor: actorOf(viewer),
    actorId: viewer.id,
    ...(viewer.apiKey ? { apiKeyId: viewer.apiKey.id } : {}),
  };
}

/** Refusals that mean the caller was not allowed, as opposed to a request that failed. */
const DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'STEP_UP_REQUIRED']);

/** Refusals recorded for reads too: a permission denial is worth a record whatever the operation. */
const PERMISSION_DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'STEP_UP_REQUIRED']);

/** Whether `code` says the caller was not allowed (recorded whatever the operation or method). */
export function isPermissionDenial(code: string | undefined): boolean {
  return code !== undefined && PERMISSION_DENIED.has(code);
}

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

function codeOf(error: GraphQLFormattedError): string {
  return String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
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
          if (!operation || !document) return;
          // The gateway's own calls (as system) are not the callers' actions.
          if (contextValue.viewer?.kind === 'system') return;
          const kind = operation.operation;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // A read is recorded only for a refusal: without one among its errors, no field needs looking at.
          if (kind !== 'mutation' && !result?.errors?.some((e) => isPermissionDenial(codeOf(e)))) return;
          const variables = request.variables;
          for (const field of executedRootFields(document, operation, variables)) {
            const error = errorFor(result?.errors, responseKey(field));
            const code = error ? codeOf(error) : undefined;
            if (kind !== 'mutation' && !isPermissionDenial(code)) continue;
            const ids = (field.arguments ?? [])
              .filter((a) => a.name.value === 'id' || a.name.value.endsWith('Id'))
              .map((a) => `${a.name.value}=${String(argumentValue(field, a.name.value, variables))}`);
            recordAudit(sink, logger, {
              ...auditActor(contextValue.viewer),
              action: `${kind} ${field.name.value}`,
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
