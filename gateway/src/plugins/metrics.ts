// Counts every GraphQL operation the pipeline answers (HTTP, REST, and queries/mutations over graphql-ws):
// by type and outcome, its duration, the codes of the errors clients saw, and rate-limit refusals.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';

export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        // willSendResponse sees the errors after formatError, i.e. the codes the client actually got.
        async willSendResponse({ operation, response, contextValue }) {
          const operationType = operation?.operation ?? 'unknown';
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = result?.errors ?? [];
          const hasData = result?.data !== undefined && result?.data !== null;
          const outcome = errors.length === 0 ? 'success' : hasData ? 'partial' : 'error';
          metrics.requests.inc({ operation_type: operationType, outcome });
          metrics.duration.observe(
            { operation_type: operationType },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
          const rootField = operation?.selectionSet.selections.find((s) => s.kind === 'Field');
          const name = rootField?.kind === 'Field' ? rootField.name.value : 'unknown';
          metrics.operations.inc({ operation_type: operationType, operation: name, outcome });
          metrics.operationDuration.observe(
            { operation: name },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
          const viewer = contextValue.viewer;
          metrics.credentials.inc({
            credential: viewer?.kind !== 'user' ? 'none' : viewer.apiKey ? 'api_key' : 'session',
          });
          for (const error of errors) {
            const code = String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
            metrics.errors.inc({ code });
            if (code === 'RATE_LIMITED') metrics.rateLimited.inc();
          }
        },
      };
    },
  };
}
