// Resolvers for the alert rules, the event summary and the health reports: parse arguments, call the domain.
import { configOf, type SubgraphContext, type SubgraphRuntime } from '@sting/kit';
import { eventSummary } from '../domain/events/event-summary.ts';
import { generateHealthReport, healthReportPdf, type ReportSources } from '../domain/report/health-report.ts';
import { fetchGatewayMetrics } from '../domain/rules/gateway-traffic.ts';
import { metricsEndpoint } from '../domain/rules/index.ts';
import { alertRules } from '../domain/rules/rule-catalog.ts';
import type { PollenStatsCollector } from '../domain/pollen/pollen-stats.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

function reportSources(runtime: SubgraphRuntime, pollen: PollenStatsCollector): ReportSources {
  const endpoint = metricsEndpoint(configOf(runtime, 'observability'));
  return {
    gatewayMetrics: () => fetchGatewayMetrics(endpoint.url, endpoint.token, endpoint),
    pollenStats: async () => {
      await pollen.start().catch(() => undefined);
      return pollen.snapshot();
    },
  };
}

export function historyResolvers(
  pollenStatsFor: (runtime: SubgraphRuntime) => PollenStatsCollector,
): Pick<Resolvers<SubgraphContext>, 'Query' | 'Mutation'> {
  return {
    Query: {
      alertRules: (_root, _args, ctx) => alertRules(ctx),
      eventSummary: (_root, args, ctx) => eventSummary(ctx, args.days),
      healthReportPdf: (_root, args, ctx) => healthReportPdf(ctx, args.id),
    },
    Mutation: {
      generateHealthReport: (_root, args, ctx) =>
        generateHealthReport(ctx, args.input ?? {}, reportSources(ctx.runtime, pollenStatsFor(ctx.runtime))),
    },
  };
}
