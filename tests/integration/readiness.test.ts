// /readyz of the real platform in both topologies: the database, Redis and Chroma it was started with are
// each checked (and, distributed, every subgraph service).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

describe.each(['embedded', 'distributed'] as const)('readiness (%s)', (topology) => {
  let it_: IntegrationPlatform;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology, {
      redisUrl: process.env.REDIS_URL,
      chromaUrl: process.env.CHROMA_URL,
    });
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('lists the database, Redis and Chroma, all ok', async () => {
    const response = await fetch(new URL('/readyz', it_.url));
    const body = (await response.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(response.status).toBe(200);
    for (const name of ['database', 'redis', 'chroma']) expect(body.checks[name]?.status).toBe('ok');
  });
});
