// Observability resolvers: parse arguments, call the domain. No decisions here.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DateTimeScalar, type SubgraphContext, type SubgraphRuntime } from '@sting/kit';
import { findAlert, listAlerts, raiseAlert, subscribeToAlerts, type AlertView } from '../domain/alerts.ts';
import type { AlertSeverity } from '../domain/severity.ts';
import type { RaiseAlertInput } from '../domain/validation.ts';
import type { Probe } from '../domain/status/probe.ts';
import { systemStatus } from '../domain/status/system-status.ts';
import { pollenFilterStats, type PollenStatsCollector } from '../domain/pollen/pollen-stats.ts';

export function createResolvers(
  probesFor: (runtime: SubgraphRuntime) => Probe[],
  pollenStatsFor: (runtime: SubgraphRuntime) => PollenStatsCollector,
): GraphQLResolverMap<SubgraphContext> {
  return {
    DateTime: DateTimeScalar,
    Query: {
      alerts: (_root, args: { first?: number | null }, ctx: SubgraphContext) => listAlerts(ctx, args.first),
      systemStatus: (_root, _args, ctx: SubgraphContext) => systemStatus(ctx.viewer, probesFor(ctx.runtime)),
      pollenFilterStats: (_root, _args, ctx: SubgraphContext) =>
        pollenFilterStats(ctx.viewer, pollenStatsFor(ctx.runtime)),
    },
    Mutation: {
      raiseAlert: (_root, args: { input: RaiseAlertInput }, ctx: SubgraphContext) =>
        raiseAlert(ctx, args.input),
    },
    Subscription: {
      alertRaised: {
        subscribe: (_root: unknown, args: { minSeverity?: AlertSeverity | null }, ctx: SubgraphContext) =>
          subscribeToAlerts(ctx, args.minSeverity),
        resolve: (alert: AlertView) => alert,
      },
    },
    Alert: {
      __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => findAlert(ctx, ref.id),
    },
  };
}
