// The platform's health: every probe in parallel, summed up as OK, DEGRADED or DOWN, and shown in full only to
// those the policy allows. Reads answer from the status cache, a check at most a few seconds old.
import { sharedPromise, type Viewer } from '@sting/kit';
import { authorize, may } from '../policies.ts';
import { runProbe, type ComponentStatus, type Probe } from './probe.ts';

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface SystemStatus {
  status: HealthStatus;
  checkedAt: Date;
  components: ComponentStatus[];
}

/**
 * DOWN when nothing can work: the database is unreachable or no subgraph answers. DEGRADED when anything else
 * is down (a cache, the vector store, some subgraphs). OK otherwise.
 */
export function overallStatus(components: ComponentStatus[]): HealthStatus {
  const down = components.filter((c) => !c.up);
  if (down.length === 0) return 'OK';
  const subgraphs = components.filter((c) => c.kind === 'SUBGRAPH');
  const databaseDown = down.some((c) => c.kind === 'DATABASE');
  const allSubgraphsDown = subgraphs.length > 0 && subgraphs.every((c) => !c.up);
  return databaseDown || allSubgraphsDown ? 'DOWN' : 'DEGRADED';
}

export async function checkSystem(probes: Probe[], timeoutMs?: number): Promise<SystemStatus> {
  const components = await Promise.all(probes.map((probe) => runProbe(probe, timeoutMs)));
  return { status: overallStatus(components), checkedAt: new Date(), components };
}

// The status each request read: every alias of systemStatus in one request answers the same check.
const readByRequest = new WeakMap<object, Promise<SystemStatus>>();

/**
 * The status as the viewer may see it, from `cache` (never a check of the request's own, see status-cache.ts).
 * `request` is the request's context: its reads share one result.
 */
export async function systemStatus(
  request: { viewer: Viewer | null },
  cache: { read(): Promise<SystemStatus> },
): Promise<SystemStatus> {
  authorize(request.viewer, 'readStatus');
  const status = await sharedPromise(readByRequest, request, () => cache.read());
  return may(request.viewer, 'readStatusDetail') ? status : { ...status, components: [] };
}
