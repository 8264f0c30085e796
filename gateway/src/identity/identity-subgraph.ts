// The gateway's own calls to the identity subgraph (session lookups, syncing people from an external provider):
// sent straight to identity with a system assertion, which its @inaccessible fields require.
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../context.ts';
import type { Federation } from '../federation.ts';

export type AskIdentity = (
  query: string,
  variables: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

export function askIdentityAsSystem(federation: Federation): AskIdentity {
  return async (query, variables) => {
    const response = await federation.dataSource('identity').process({
      // Not part of an incoming operation (Apollo's enum is not exported; its value is this string).
      kind: 'health check',
      request: { query, variables },
      context: { viewer: { kind: 'system' }, requestId: randomUUID() } satisfies GatewayContext,
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
    if (response.errors?.length) throw new Error(`identity answered: ${response.errors[0].message}`);
    return response.data ?? {};
  };
}
