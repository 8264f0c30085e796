// The distributed launcher's refusals, which happen before anything is written or started: no Redis to carry
// events between the subgraph processes, and a subgraph port something else already answers on.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { StingConfig } from '@sting/kit';
import { startSubgraphProcesses } from '../src/subgraph-processes.ts';
import { freePort, scratchDir } from './scratch.ts';

const scratch = scratchDir('subgraph-processes');
afterAll(() => scratch.remove());

async function configWith(identityPort: number) {
  const subgraphs = { identity: `http://127.0.0.1:${identityPort}/graphql` };
  return { gateway: { subgraphs }, security: { keysDir: join(scratch.path, 'keys') } } as unknown as Pick<
    StingConfig,
    'gateway' | 'security'
  >;
}

describe('startSubgraphProcesses', () => {
  it('refuses to start without Redis, saying how to provide one', async () => {
    const config = await configWith(await freePort());
    await expect(
      startSubgraphProcesses({
        config,
        services: { databaseUrl: 'postgres://127.0.0.1:1/none', redisUrl: '' },
        logDir: scratch.path,
      }),
    ).rejects.toThrow(/distributed topology needs Redis.*REDIS_URL/);
    expect(existsSync(join(scratch.path, 'keys'))).toBe(false);
  });

  it('refuses a subgraph port that something already listens on', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        startSubgraphProcesses({
          config: await configWith(port),
          services: { databaseUrl: 'postgres://127.0.0.1:1/none', redisUrl: 'redis://127.0.0.1:1' },
          logDir: scratch.path,
        }),
      ).rejects.toThrow(`identity: port ${port} is already in use`);
    } finally {
      server.close();
    }
  });
});
