// Starts the gateway over the toy subgraphs in either topology, with a supergraph file in a temp folder and a
// log of every subgraph fetch.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  createSubgraphHost,
  loadOrCreateSigningKeys,
  type EventBus,
  type SubgraphModule,
  type SubgraphName,
} from '@sting/kit';
import { serveSubgraph, type ServedSubgraph } from '@sting/kit';
import { startGateway, type GatewayOptions, type RunningGateway } from '../src/gateway.ts';
import { AssertionSigner } from '../src/identity/assertion-signer.ts';
import { embeddedEndpoint } from '../src/topology/embedded.ts';
import { remoteEndpoint } from '../src/topology/distributed.ts';
import type { SubgraphEndpoint } from '../src/topology/endpoint.ts';
import {
  chatModule,
  composeSupergraph,
  honeyJarsModule,
  identityModule,
  newBus,
  toyRuntime,
} from './toy-subgraphs.ts';

export type Topology = 'embedded' | 'distributed';

export interface ToyPlatform {
  gateway: RunningGateway;
  bus: EventBus;
  fetches: { subgraph: SubgraphName; query: string }[];
  endpoints: SubgraphEndpoint[];
  services: ServedSubgraph[];
  supergraphPath: string;
  urls: Partial<Record<SubgraphName, string>>;
  keysDir: string;
  stop(): Promise<void>;
}

/** `published` is what the initial supergraph is composed from (default: the modules themselves). */
export async function startToyPlatform(
  topology: Topology,
  modules: SubgraphModule[] = [identityModule(), honeyJarsModule, chatModule],
  published: SubgraphModule[] = modules,
  /** Further gateway options (routes, audit sink, settings overrides) for tests of the pipeline. */
  extra: Partial<GatewayOptions> = {},
  /** How long the assertions the gateway signs live (tests of their renewal shorten it). */
  assertionTtlSeconds = 60,
): Promise<ToyPlatform> {
  const dir = await mkdtemp(join(tmpdir(), 'sting-gw-'));
  const keysDir = join(dir, 'keys');
  const { privateKey, publicKey } = await loadOrCreateSigningKeys(keysDir);
  const signer = new AssertionSigner(privateKey, assertionTtlSeconds);
  const bus = newBus();
  const fetches: ToyPlatform['fetches'] = [];
  const observe = (subgraph: SubgraphName, request: { query: string }) =>
    fetches.push({ subgraph, query: request.query });

  const services: ServedSubgraph[] = [];
  let endpoints: SubgraphEndpoint[];
  const urls: Partial<Record<SubgraphName, string>> = {};
  if (topology === 'embedded') {
    endpoints = modules.map((m) =>
      embeddedEndpoint(createSubgraphHost(m, toyRuntime(m.name, bus), publicKey), signer, observe),
    );
  } else {
    endpoints = [];
    for (const m of modules) {
      const service = await serveSubgraph(m, toyRuntime(m.name, bus), {
        port: 0,
        verificationKey: publicKey,
      });
      services.push(service);
      urls[m.name] = service.url;
      endpoints.push(remoteEndpoint(m.name, service.url, signer, observe));
    }
  }
  const supergraphPath = join(dir, 'supergraph.graphql');
  await writeFile(supergraphPath, composeSupergraph(published, urls));
  const gateway = await startGateway({
    ...extra,
    settings: {
      profile: extra.settings?.profile ?? 'development',
      gateway: {
        host: '127.0.0.1',
        port: 0,
        playground: false,
        supergraph: supergraphPath,
        subgraphs: urls as Record<SubgraphName, string>,
        ...extra.settings?.gateway,
      },
    },
    endpoints,
    logger: extra.logger ?? pino({ level: process.env.STING_TEST_LOG ?? 'silent' }),
    supergraphSource: { filePollMs: 100 },
  });
  return {
    gateway,
    bus,
    fetches,
    endpoints,
    services,
    supergraphPath,
    urls,
    keysDir,
    async stop() {
      await gateway.stop();
      for (const service of services) await service.stop();
      await bus.close();
    },
  };
}

export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { data?: any; errors?: any[] },
  };
}

/** kit's one waiting helper, for the tests that import it from here. */
export { waitFor } from '@sting/kit/testing';
