// Resolvers of logs.graphql and integrations.graphql: parse arguments, call the domain.
import type { SubgraphContext } from '@sting/kit';
import { grafanaStatus } from '../domain/integrations/grafana-status.ts';
import { lokiStatus } from '../domain/integrations/loki-status.ts';
import { observabilityConfigView } from '../domain/integrations/config-view.ts';
import { logSearchInput, searchLogs } from '../domain/logs/search.ts';
import { pollenSeries } from '../domain/logs/sanitized-series.ts';
import { logSettings } from '../domain/logs/settings.ts';
import { authorize } from '../domain/policies.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

interface ConfigSlice {
  observability?: unknown;
  secretReferences?: Record<string, string>;
}

export const logResolvers: Pick<Resolvers<SubgraphContext>, 'Query' | 'PollenFilterStats'> = {
  Query: {
    logs: (_root, args, ctx) => {
      const settings = logSettings(ctx.runtime);
      return searchLogs(
        { viewer: ctx.viewer, em: ctx.em, lokiUrl: settings.lokiUrl, topology: settings.topology },
        logSearchInput(args),
      ) as never;
    },
    lokiStatus: (_root, _args, ctx) => lokiStatus(ctx.viewer, logSettings(ctx.runtime).lokiUrl),
    grafanaStatus: (_root, _args, ctx) => {
      const settings = logSettings(ctx.runtime);
      return grafanaStatus(ctx.viewer, { url: settings.grafanaUrl, token: settings.grafanaToken });
    },
    observabilityConfig: (_root, _args, ctx) => {
      const slice = ctx.runtime.config as ConfigSlice;
      return observabilityConfigView(ctx.viewer, slice.observability, slice.secretReferences ?? {});
    },
  },
  PollenFilterStats: {
    timeSeries: (_stats, args, ctx) => {
      authorize(ctx.viewer, 'readPollenStats');
      return pollenSeries(ctx.em, args) as never;
    },
  },
};
