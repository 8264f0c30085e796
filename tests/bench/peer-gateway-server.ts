// One gateway of the peer benchmark in a process of its own (so its memory is its own): this gateway's generic mode,
// plain @apollo/gateway with Apollo Server, or Hive Gateway, over the same supergraph file. Prints its URL.
// `subgraphs FILE` starts the two subgraphs instead and writes their supergraph to FILE.
// Every kind runs with Node's module compile cache on, as `node gateway/src/serve.ts` turns it on for this gateway
// (the same runtime setting for all three; peers.bench.ts fills the cache with one start of each first).
// node tests/bench/peer-gateway-server.ts sting|apollo|hive|subgraphs SUPERGRAPH_FILE [--fill-cache]
import { flushCompileCache } from 'node:module';
import { enableCompileCache } from '@sting/kit/runtime/compile-cache.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';

enableCompileCache();
const [kind, supergraph, fill] = process.argv.slice(2);
if (!supergraph || !['sting', 'apollo', 'hive', 'subgraphs'].includes(kind)) {
  process.stderr.write('usage: peer-gateway-server.ts sting|apollo|hive|subgraphs SUPERGRAPH_FILE\n');
  process.exit(2);
}

async function start(): Promise<string> {
  if (kind === 'subgraphs') {
    const { startForeignSubgraphs } = await import('../standins/foreign-subgraphs.ts');
    const subgraphs = await startForeignSubgraphs({ record: false });
    writeFileSync(supergraph, subgraphs.supergraphSdl);
    return subgraphs.subgraphs.map((s) => s.url).join(' ');
  }
  if (kind === 'sting') {
    const { startGenericGateway } = await import('@sting/gateway/generic/index.ts');
    const gateway = await startGenericGateway({
      supergraph,
      port: 0,
      metricsPort: 0,
      profile: 'production',
      logger: pino({ level: 'warn' }),
      // As in the other benches: one client's load would otherwise measure 429s.
      protection: { rateLimit: { enabled: false, requestsPerMinute: 600, loginPerMinute: 10 } },
    });
    return gateway.url;
  }
  if (kind === 'apollo') {
    const { ApolloGateway } = await import('@apollo/gateway');
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    const server = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: readFileSync(supergraph, 'utf8') }),
    });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    return new URL('/graphql', url).href;
  }
  const { createGatewayRuntime } = await import('@graphql-hive/gateway');
  const gateway = createGatewayRuntime({ supergraph, logging: 'warn' });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const url = await start();
if (fill === '--fill-cache') {
  // Started once to leave every module it loads in the compile cache for the measured start.
  flushCompileCache();
  process.exit(0);
}
process.stdout.write(`${url}\n`);
// An orderly exit on SIGTERM, so `node --cpu-prof` writes its profile.
process.once('SIGTERM', () => process.exit(0));
