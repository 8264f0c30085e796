// Raises an alert on the platform's behalf (the launcher giving up on a process): recorded by the observability
// subgraph like any alert and announced on the bus to alertRaised subscribers. When that subgraph, or the database
// behind it, is what was lost, the event goes straight on the bus instead, and the log line stays in any case.
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { RunningPlatform } from '@sting/gateway';
import { createEvent, EventTypes, Topics } from '@sting/kit';

const RAISE = `mutation RaiseAlert($input: RaiseAlertInput!) { raiseAlert(input: $input) { id } }`;

export type PlatformAlert = { severity: 'CRITICAL' | 'WARNING'; title: string; message: string };

/** Resolves with how the alert went out: 'recorded' (observability) or 'published' (bus only). */
export async function raisePlatformAlert(
  platform: Pick<RunningPlatform, 'endpoints' | 'bus'>,
  alert: PlatformAlert,
): Promise<'recorded' | 'published'> {
  const input = { ...alert, source: 'launcher' };
  const requestId = randomUUID();
  const observability = platform.endpoints.find((endpoint) => endpoint.name === 'observability');
  try {
    const result = await observability?.dataSource.process({
      // Not an operation of an incoming request (the gateway does not export the enum, only its values).
      kind: 'health check' as GraphQLDataSourceProcessOptions['kind'] & 'health check',
      request: { query: RAISE, variables: { input } },
      // The platform itself (the system viewer) may raise alerts; the data sources sign it like any fetch.
      context: { viewer: { kind: 'system' }, requestId },
    });
    if (result && !result.errors?.length && result.data?.raiseAlert) return 'recorded';
  } catch {
    // observability (or its database) is down: fall through to the bus
  }
  const view = { id: randomUUID(), ...input, createdAt: new Date().toISOString() };
  await platform.bus.publish(
    Topics.observability.alertTriggered,
    createEvent(EventTypes.alertTriggered, view, { source: 'launcher', correlationId: requestId }),
  );
  return 'published';
}
