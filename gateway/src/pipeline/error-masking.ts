// The gateway's `formatError`: typed errors keep their code and message, everything else becomes an
// unexplained INTERNAL_SERVER_ERROR, and subgraph internals (service names, stack traces) stay inside.
import type { GraphQLFormattedError } from 'graphql';
import { maskError } from '@sting/kit';

export function maskGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const masked = maskError(formatted, error);
  if (!masked.extensions) return masked;
  // Added by @apollo/gateway to errors relayed from a subgraph: which service failed is not the client's business.
  const { serviceName: _service, ...extensions } = masked.extensions as Record<string, unknown>;
  return { ...masked, extensions };
}
