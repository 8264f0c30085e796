// How one subgraph asks another on a person's behalf (Bee asking knowledge's search): with an assertion the gateway
// signed for that person and the other subgraph's audience, verified there like any gateway fetch. A subgraph can
// never widen what the person may see: it holds no signing key, only what the gateway handed it for this request.
import type { ExecutionResult } from 'graphql';
import { IDENTITY_HEADER, REQUEST_ID_HEADER } from '../identity/headers.ts';
import type { SubgraphHost, SubgraphRequest } from './host.ts';
import type { SubgraphName } from './module.ts';
import { inSpan } from '../tracing/tracing.ts';
import { traceContextFields } from '../tracing/propagation.ts';

export interface SubgraphPeers {
  execute(
    target: SubgraphName,
    request: SubgraphRequest,
    assertion: string,
    requestId: string,
  ): Promise<ExecutionResult>;
}

/** Embedded topology: the other subgraphs' hosts in this process, registered as they start. */
export class LocalPeers implements SubgraphPeers {
  readonly #hosts = new Map<SubgraphName, SubgraphHost>();

  register(host: SubgraphHost): void {
    this.#hosts.set(host.name, host);
  }

  async execute(target: SubgraphName, request: SubgraphRequest, assertion: string, requestId: string) {
    const host = this.#hosts.get(target);
    if (!host) throw new Error(`subgraph ${target} is not hosted in this process`);
    const identity = await host.identify(assertion);
    // The same span the other subgraph's own front door makes in the distributed topology.
    return inSpan(`subgraph ${target}`, () => host.execute(request, host.contextFor(identity, requestId)), {
      attributes: { 'sting.subgraph': target },
    });
  }
}

/** Distributed topology: the other subgraphs' URLs (`gateway.subgraphs`), over HTTP. */
export class RemotePeers implements SubgraphPeers {
  readonly #urls: Readonly<Partial<Record<SubgraphName, string>>>;
  readonly #timeoutMs: number;

  constructor(urls: Readonly<Partial<Record<SubgraphName, string>>>, timeoutMs = 10_000) {
    this.#urls = urls;
    this.#timeoutMs = timeoutMs;
  }

  async execute(target: SubgraphName, request: SubgraphRequest, assertion: string, requestId: string) {
    const url = this.#urls[target];
    if (!url) throw new Error(`no URL configured for subgraph ${target}`);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        [IDENTITY_HEADER]: assertion,
        [REQUEST_ID_HEADER]: requestId,
        // The other subgraph continues this request's trace.
        ...traceContextFields(),
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    const body = (await response.json().catch(() => null)) as ExecutionResult | null;
    if (!body || (!body.data && !body.errors))
      throw new Error(`subgraph ${target} answered HTTP ${response.status}`);
    return body;
  }
}

// Resolving a HoneyJar reference at honey-jars applies its read rule: a jar the person may not read, or one gone,
// resolves to null.
const READABLE_JAR_NAMES = `query ReadableJarNames($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on HoneyJar { id name } }
}`;

/**
 * Those of `jarIds` honey-jars lets the person of `assertion` read now, by id, with their names (from honey-jars,
 * which owns them). Rejects when honey-jars cannot be asked or answers with an error.
 */
export async function readableJarNames(
  peers: SubgraphPeers,
  jarIds: readonly string[],
  assertion: string,
  requestId: string,
): Promise<Map<string, string>> {
  if (jarIds.length === 0) return new Map();
  const result = await peers.execute(
    'honey-jars',
    {
      query: READABLE_JAR_NAMES,
      variables: { representations: jarIds.map((id) => ({ __typename: 'HoneyJar', id })) },
      operationName: 'ReadableJarNames',
    },
    assertion,
    requestId,
  );
  if (result.errors?.length) {
    const code = (result.errors[0].extensions as { code?: string } | undefined)?.code;
    throw new Error(`honey-jars answered ${code ?? 'an error'}: ${result.errors[0].message}`);
  }
  const jars = (result.data as { _entities?: unknown } | null | undefined)?._entities;
  if (!Array.isArray(jars)) throw new Error('honey-jars answered no entities');
  const names = new Map<string, string>();
  for (const jar of jars as ({ id: string; name: string } | null)[]) if (jar) names.set(jar.id, jar.name);
  return names;
}
