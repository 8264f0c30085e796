// The audit log: administrators' auditEvents / verifyAuditLog, and the gateway's appendAuditEvents.
import { BadUserInputError, type SubgraphContext } from '@sting/kit';
import type { AuditActorType, AuditDetails, AuditOutcome } from '../domain/audit/chain.ts';
import { listAuditEvents } from '../domain/audit/read.ts';
import { recordAuditEvents, type AuditActorInput, type AuditRecord } from '../domain/audit/record.ts';
import { verifyAuditLog } from '../domain/audit/verify.ts';
import { authorize } from '../domain/policies.ts';
import type {
  AuditEventInput as AuditEventInputGql,
  AuditEventResolvers,
  MutationResolvers,
  QueryResolvers,
} from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

/** One gateway batch; the gateway flushes at 100. */
const MAX_APPEND = 500;

const toOutcome = (outcome: string) => outcome.toLowerCase() as AuditOutcome;

function toGraphQL(record: AuditRecord) {
  return {
    ...record,
    actorType: record.actorType.toUpperCase() as Uppercase<AuditActorType>,
    outcome: record.outcome.toUpperCase() as Uppercase<AuditOutcome>,
    details: JSON.stringify(record.details),
  };
}

function actorOf(event: AuditEventInputGql): AuditActorInput {
  switch (event.actorType) {
    case 'USER':
      return { userId: event.actorId };
    case 'API_KEY':
      return { userId: event.actorId, apiKeyId: event.apiKeyId };
    case 'SYSTEM':
      return { system: true };
    default:
      return { anonymous: true };
  }
}

function detailsOf(details: string | null | undefined): AuditDetails | null {
  if (details == null || details === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadUserInputError('details must be a JSON object', 'details');
  }
  return parsed as AuditDetails;
}

export const auditQueries: QueryResolvers<Context> = {
  auditEvents: async (_, { filter, first, after }, context) => {
    authorize(context.viewer, 'audit:read');
    const page = await listAuditEvents(context.em, {
      filter: filter ? { ...filter, outcome: filter.outcome ? toOutcome(filter.outcome) : null } : null,
      first,
      after,
    });
    return { nodes: page.nodes.map(toGraphQL), pageInfo: page.pageInfo };
  },

  verifyAuditLog: (_, __, context) => {
    authorize(context.viewer, 'audit:read');
    return verifyAuditLog(context.em);
  },
};

/** The record's person, read when asked for (one query per page of records). */
export const AuditEvent: AuditEventResolvers<Context> = {
  actor: (event, _, { loaders }) => (event.actorId ? loaders.userById.load(event.actorId) : null),
};

export const auditMutations: MutationResolvers<Context> = {
  appendAuditEvents: async (_, { events }, context) => {
    authorize(context.viewer, 'audit:append');
    if (events.length > MAX_APPEND) {
      throw new BadUserInputError(`At most ${MAX_APPEND} records at a time`, 'events');
    }
    const records = await recordAuditEvents(
      context.em,
      events.map((event) => ({
        actor: actorOf(event),
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId,
        outcome: toOutcome(event.outcome),
        requestId: event.requestId,
        clientAddress: event.clientAddress,
        details: detailsOf(event.details),
      })),
    );
    return records.length;
  },
};
