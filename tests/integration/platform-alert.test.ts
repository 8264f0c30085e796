// The launcher's alert when it gives up on a process, in both topologies: recorded by the observability subgraph
// (administrators see it in `alerts`) through the gateway's own data source as the system viewer, and put
// straight on the bus as an `observability.alert.triggered` event when observability itself is unreachable.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { EventTypes, Topics } from '@sting/kit';
import { raisePlatformAlert } from '@sting/ops/platform-alert.ts';
import { ADMIN, graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

describe.each(['embedded', 'distributed'] as const)('platform alert (%s)', (topology) => {
  let it_: IntegrationPlatform;
  let token: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology, { chromaUrl: process.env.CHROMA_URL });
    const login = await graphql(
      it_.url,
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: ADMIN.email, p: ADMIN.password },
    );
    token = login.data.login.token;
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('is recorded by observability, as the system viewer', async () => {
    const alert = { severity: 'CRITICAL', title: `chat is down (${topology})`, message: 'gave up' } as const;
    expect(await raisePlatformAlert(it_.platform, alert)).toBe('recorded');
    const listed = await graphql(
      it_.url,
      '{ alerts(first: 5) { nodes { title severity source } } }',
      undefined,
      token,
    );
    expect(listed.data.alerts.nodes).toContainEqual({
      title: alert.title,
      severity: 'CRITICAL',
      source: 'launcher',
    });
  });

  it('goes straight on the bus when observability cannot record it', async () => {
    const events = await it_.platform.bus.subscribe<{ title: string; source: string }>(
      Topics.observability.alertTriggered,
    );
    try {
      const withoutObservability = {
        endpoints: it_.platform.endpoints.filter((endpoint) => endpoint.name !== 'observability'),
        bus: it_.platform.bus,
      };
      const alert = { severity: 'CRITICAL', title: 'observability is down', message: 'gave up' } as const;
      expect(await raisePlatformAlert(withoutObservability, alert)).toBe('published');
      const { value } = await events.next();
      expect(value).toMatchObject({
        type: EventTypes.alertTriggered,
        source: 'launcher',
        payload: { title: 'observability is down', source: 'launcher', severity: 'CRITICAL' },
      });
    } finally {
      await events.return();
    }
  });
});
