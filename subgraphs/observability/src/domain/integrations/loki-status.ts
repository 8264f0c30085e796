// Loki as Beeacon reports it: reachable (its /ready answers 200), and this process's shipping figures. In the
// embedded topology this process logs for the whole platform; in the distributed one each process ships its
// own and these are the observability process's.
import { processLogShipping, type Viewer } from '@sting/kit';
import { authorize } from '../policies.ts';

export interface LokiStatus {
  configured: boolean;
  url: string | null;
  reachable: boolean | null;
  detail: string | null;
  backlog: number;
  lastPushAt: Date | null;
  shipped: number;
  dropped: number;
  lastError: string | null;
}

export async function lokiStatus(viewer: Viewer | null, lokiUrl: string): Promise<LokiStatus> {
  authorize(viewer, 'readIntegrations');
  if (!lokiUrl) {
    return {
      configured: false,
      url: null,
      reachable: null,
      detail: 'Loki is not configured (observability.loki.url); logs are kept in PostgreSQL',
      backlog: 0,
      lastPushAt: null,
      shipped: 0,
      dropped: 0,
      lastError: null,
    };
  }
  const shipping = processLogShipping();
  const stats = shipping?.lokiUrl === lokiUrl ? shipping.stats() : null;
  const probe = await probeReady(lokiUrl);
  return {
    configured: true,
    url: displayUrl(lokiUrl),
    reachable: probe.ok,
    detail: probe.detail,
    backlog: stats?.backlog ?? 0,
    lastPushAt: stats?.lastSentAt ?? null,
    shipped: stats?.sent ?? 0,
    dropped: stats?.dropped ?? 0,
    lastError: stats?.lastError ?? null,
  };
}

async function probeReady(baseUrl: string): Promise<{ ok: boolean; detail: string }> {
  try {
    const response = await fetch(new URL('/ready', baseUrl), { signal: AbortSignal.timeout(3000) });
    const text = (await response.text()).trim().slice(0, 200);
    return { ok: response.ok, detail: response.ok ? text || 'ready' : `answered ${response.status}` };
  } catch (err) {
    return { ok: false, detail: `unreachable: ${(err as Error).name}` };
  }
}

/** A URL without any credentials in it, for display. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '';
  }
}
