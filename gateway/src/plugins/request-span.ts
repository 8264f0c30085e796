// With tracing on, the span of the request that runs an operation (the HTTP request's, or the graphql-ws
// operation's) names the operation and records its failure: graphql.operation.type and graphql.operation.name once
// resolved, and, when the response carries errors, error.type with the first error's code (after masking: what the
// client saw, never a message). Apollo's gateway.request span, which held these, is not recorded (kit's
// tracing/library-spans.ts). With tracing off, outside a trace or in a trace not sampled, no listener is made.
import type { ApolloServerPlugin } from '@apollo/server';
import { activeSpan, markFailedAs } from '@sting/kit/tracing/tracing.ts';
import type { GatewayContext } from '../context.ts';

export function requestSpanPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const span = activeSpan();
      if (!span?.isRecording()) return;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation) span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ response }) {
          const { body } = response;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          if (errors?.length)
            markFailedAs(span, String(errors[0].extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
        },
      };
    },
  };
}
