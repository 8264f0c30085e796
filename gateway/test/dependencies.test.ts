// Readiness of the platform's services against the real ones started for the tests, and against stopped ones
// (a port nothing listens on): each is named, and a stopped one makes /readyz answer 503.
import { describe, it, expect } from '@jest/globals';
import { freePort as stoppedPort } from '@sting/kit/runtime/free-port.ts';
import { dependencyChecks, type DependencyUrls } from '../src/health/dependencies.ts';
import { handleHealth } from '../src/health/index.ts';
import { serve } from './serve.ts';

const live: DependencyUrls = {
  databaseUrl: process.env.DATABASE_URL,
  redisUrl: process.env.REDIS_URL,
  chromaUrl: process.env.CHROMA_URL,
};

async function readyz(urls: DependencyUrls) {
  const dependencies = dependencyChecks(urls);
  const server = await serve((req, res) => handleHealth(req, res, dependencies.checks));
  try {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as any };
  } finally {
    await server.close();
    await dependencies.close();
  }
}

describe('dependency readiness', () => {
  it('lists the database, Redis and Chroma, all ok when they run', async () => {
    expect(live.databaseUrl && live.redisUrl && live.chromaUrl).toBeTruthy();
    const { status, body } = await readyz(live);
    expect(status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(['chroma', 'database', 'redis']);
  });

  it('checks only what is configured', async () => {
    const { body } = await readyz({ chromaUrl: live.chromaUrl });
    expect(Object.keys(body.checks)).toEqual(['chroma']);
  });

  it.each(['database', 'redis', 'chroma'] as const)('answers 503 naming a stopped %s', async (name) => {
    const port = await stoppedPort();
    const stopped = {
      database: { databaseUrl: `postgres://sting@127.0.0.1:${port}/sting` },
      redis: { redisUrl: `redis://127.0.0.1:${port}` },
      chroma: { chromaUrl: `http://127.0.0.1:${port}` },
    }[name];
    const { status, body } = await readyz({ ...live, ...stopped });
    expect(status).toBe(503);
    expect(body.failing).toEqual([name]);
  });
});
