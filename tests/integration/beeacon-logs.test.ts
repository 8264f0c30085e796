// Beeacon's logs through the gateway, in both topologies: without Loki, what the platform logs is stored (Pollen-
// filtered) in PostgreSQL and searched over REST by administrators with filters and paging; with Loki (a stand-in
// following its API) every record is shipped with its labels, searched through LogQL, held while Loki is down and
// shipped once it is back; the Loki, Grafana and configuration routes answer administrators only, and say "not
// configured" with a 200.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { StingConfig } from '@sting/kit';
import { startStandInLoki, type StandInLoki } from '../standins/loki.ts';
import { startStandInGrafana, type StandInGrafana } from '../standins/grafana.ts';
import {
  ADMIN,
  graphql,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';

const MEMBER = { email: 'log.reader@example.com', password: 'a long enough member password' };

async function get(base: string, path: string, token?: string) {
  const response = await fetch(new URL(path, base), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function withMember(it_: IntegrationPlatform, admin: string): Promise<string> {
  const created = await graphql(
    it_.url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { ...MEMBER, displayName: 'Log Reader', role: 'MEMBER' } },
    admin,
  );
  expect(created.errors).toBeUndefined();
  return signIn(it_.url, MEMBER.email, MEMBER.password);
}

describe.each(['embedded', 'distributed'] as const)('logs without Loki (%s)', (topology) => {
  let it_: IntegrationPlatform;
  let admin: string;
  let member: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology);
    admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
    member = await withMember(it_, admin);
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('stores what the platform logs, filtered, and finds it by text, service and level, newest first', async () => {
    const marker = `nectar-${randomUUID().slice(0, 8)}`;
    // Logged at error so the platform's configured level (error in these tests) keeps it.
    for (let i = 0; i < 5; i++) {
      it_.platform.logger.error(
        { customer: 'honey.buyer@example.com', i },
        `${marker} payment declined ${i}`,
      );
    }
    const path = `/api/beeacon/logs?text=${marker}&service=gateway&level=ERROR&first=2`;
    await waitFor(async () => (await get(it_.url, path, admin)).body.data?.nodes.length === 2, {
      timeoutMs: 10_000,
    });

    const messages: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { status, body } = await get(
        it_.url,
        path + (after ? `&after=${encodeURIComponent(after)}` : ''),
        admin,
      );
      expect(status).toBe(200);
      for (const node of body.data.nodes) {
        expect(node).toMatchObject({ service: 'gateway', level: 'ERROR' });
        expect(node.record).not.toContain('honey.buyer@example.com');
        expect(JSON.parse(node.record).customer).toBe('[EMAIL]');
        messages.push(node.message);
      }
      if (!body.data.page_info.has_next_page) break;
      after = body.data.page_info.end_cursor;
    }
    expect(messages).toEqual([4, 3, 2, 1, 0].map((i) => `${marker} payment declined ${i}`));
    const otherLevel = await get(it_.url, `/api/beeacon/logs?text=${marker}&level=INFO`, admin);
    expect(otherLevel.body.data.nodes).toEqual([]);
  });

  it('answers members 403, anonymous callers 401 and bad input 400 on every route', async () => {
    for (const route of [
      '/api/beeacon/logs',
      '/api/beeacon/loki/status',
      '/api/beeacon/grafana/status',
      '/api/beeacon/config',
    ]) {
      expect((await get(it_.url, route, member)).status).toBe(403);
      const anonymous = await get(it_.url, route);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    }
    const bad = await get(it_.url, '/api/beeacon/logs?first=0', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_USER_INPUT');
    const badCursor = await get(it_.url, '/api/beeacon/logs?after=nope', admin);
    expect(badCursor.status).toBe(400);
  });

  it('says Loki and Grafana are not configured with a 200, and shows the configuration', async () => {
    const loki = await get(it_.url, '/api/beeacon/loki/status', admin);
    expect(loki.status).toBe(200);
    expect(loki.body.data).toMatchObject({ configured: false, reachable: null, shipped: 0, dropped: 0 });
    const grafana = await get(it_.url, '/api/beeacon/grafana/status', admin);
    expect(grafana.status).toBe(200);
    expect(grafana.body.data).toMatchObject({ configured: false, reachable: null });
    const config = await get(it_.url, '/api/beeacon/config', admin);
    expect(config.status).toBe(200);
    expect(config.body.data).toEqual(
      expect.arrayContaining([
        { key: 'observability.logs.retentionDays', value: '7', secret: false },
        { key: 'observability.loki.url', value: '', secret: false },
      ]),
    );
  });
});

describe('logs with Loki and Grafana (embedded)', () => {
  let it_: IntegrationPlatform;
  let loki: StandInLoki;
  let grafana: StandInGrafana;
  let admin: string;
  beforeAll(async () => {
    loki = await startStandInLoki();
    grafana = await startStandInGrafana();
    it_ = await startIntegrationPlatform('embedded', {
      configure: (config) =>
        ({
          ...config,
          observability: {
            ...config.observability,
            loki: {
              ...config.observability.loki,
              url: loki.url,
              flushIntervalMs: 20,
              maxBufferRecords: 1000,
            },
            grafana: { ...config.observability.grafana, url: grafana.url },
          },
        }) as StingConfig,
    });
    admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
    await loki?.close();
    await grafana?.close();
  });

  it('ships every record to Loki with service, level and topology labels, filtered, and searches it there', async () => {
    const marker = `pollen-${randomUUID().slice(0, 8)}`;
    it_.platform.logger.error({ customer: 'queen@hive.example' }, `${marker} hive overheated`);
    await waitFor(() => loki.entries.some((e) => e.line.includes(marker)), { timeoutMs: 10_000 });
    const entry = loki.entries.find((e) => e.line.includes(marker))!;
    expect(entry.labels).toEqual({ service: 'gateway', level: 'error', topology: 'embedded' });
    expect(loki.entries.map((e) => e.line).join('\n')).not.toContain('queen@hive.example');

    const { status, body } = await get(it_.url, `/api/beeacon/logs?text=${marker}&level=ERROR`, admin);
    expect(status).toBe(200);
    expect(body.data.nodes).toHaveLength(1);
    expect(body.data.nodes[0]).toMatchObject({
      service: 'gateway',
      level: 'ERROR',
      message: `${marker} hive overheated`,
    });
  });

  it('reports Loki reachable with its figures; while it is down records are held and shipped once it is back', async () => {
    const up = await get(it_.url, '/api/beeacon/loki/status', admin);
    expect(up.status).toBe(200);
    expect(up.body.data).toMatchObject({ configured: true, url: loki.url, reachable: true, dropped: 0 });
    expect(up.body.data.shipped).toBeGreaterThan(0);

    loki.down = true;
    const marker = `swarm-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 3; i++) it_.platform.logger.error(`${marker} ${i}`);
    // The push thread reports a refused push once it has read the answer, a moment after Loki sent it.
    let down = await get(it_.url, '/api/beeacon/loki/status', admin);
    await waitFor(async () => {
      down = await get(it_.url, '/api/beeacon/loki/status', admin);
      return loki.refused > 0 && down.body.data.last_error !== null;
    });
    expect(down.body.data).toMatchObject({ reachable: false });
    expect(down.body.data.backlog).toBeGreaterThanOrEqual(3);
    expect(down.body.data.last_error).toContain('503');
    loki.down = false;
    await waitFor(() => loki.entries.filter((e) => e.line.includes(marker)).length === 3, {
      timeoutMs: 15_000,
    });
    const back = await get(it_.url, '/api/beeacon/loki/status', admin);
    expect(back.body.data).toMatchObject({ reachable: true, dropped: 0 });
  });

  it('reports Grafana reachable with its version', async () => {
    const { status, body } = await get(it_.url, '/api/beeacon/grafana/status', admin);
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      configured: true,
      url: grafana.url,
      reachable: true,
      version: '11.3.0',
    });
    expect(Array.isArray(body.data.dashboards)).toBe(true);
  });
});
