// Observability resolvers: parse arguments, call the domain. No decisions here. Typed by the resolver types
// generated from schema.graphql (npm run compose).
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DateTimeScalar, type SubgraphContext, type SubgraphRuntime } from '@sting/kit';
import {
  acknowledgeAlert,
  findAlert,
  fromFeed,
  listAlerts,
  raiseAlert,
  resolveAlert,
  subscribeToAlerts,
  type AlertView,
} from '../domain/alerts.ts';
import type { StatusCache } from '../domain/status/status-cache.ts';
import { systemStatus } from '../domain/status/system-status.ts';
import { statusHistory } from '../domain/status/history.ts';
import { pollenFilterStats, type PollenStatsCollector } from '../domain/pollen/pollen-stats.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { historyResolvers } from './beeacon-history.ts';
import { logResolvers } from './logs.ts';

export function createResolvers(
  statusFor: (runtime: SubgraphRuntime) => StatusCache,
  pollenStatsFor: (runtime: SubgraphRuntime) => PollenStatsCollector,
): GraphQLResolverMap<SubgraphContext> {
  const history = historyResolvers(pollenStatsFor);
  const resolvers: Resolvers<SubgraphContext> = {
    DateTime: DateTimeScalar,
    Query: {
      alerts: (_root, args, ctx) => listAlerts(ctx, args),
      systemStatus: (_root, _args, ctx) => systemStatus(ctx, statusFor(ctx.runtime)),
      pollenFilterStats: (_root, _args, ctx) => pollenFilterStats(ctx.viewer, pollenStatsFor(ctx.runtime)),
      ...history.Query,
      ...logResolvers.Query,
    },
    PollenFilterStats: logResolvers.PollenFilterStats,
    Mutation: {
      raiseAlert: (_root, args, ctx) => raiseAlert(ctx, args.input),
      acknowledgeAlert: (_root, args, ctx) => acknowledgeAlert(ctx, args.id),
      resolveAlert: (_root, args, ctx) => resolveAlert(ctx, args.id),
      ...history.Mutation,
    },
    Subscription: {
      alertRaised: {
        subscribe: (_root, args, ctx) => subscribeToAlerts(ctx, args.minSeverity),
        resolve: (alert: AlertView) => fromFeed(alert),
      },
    },
    SystemStatus: {
      history: (_status, _args, ctx) => statusHistory(ctx),
    },
    Alert: {
      __resolveReference: (ref, ctx) => findAlert(ctx, ref.id),
    },
  };
  return resolvers as GraphQLResolverMap<SubgraphContext>;
}
