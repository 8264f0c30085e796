// Grafana as Beeacon reports it: reachable and its version (GET /api/health), and the dashboards this platform
// provisions (the JSON files under ops/grafana/), each marked as found in Grafana (GET /api/search) when it can
// be asked.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Viewer } from '@sting/kit';
import { authorize } from '../policies.ts';
import { displayUrl } from './loki-status.ts';

export interface ProvisionedDashboard {
  uid: string | null;
  title: string;
  file: string;
  /** Grafana has a dashboard with this uid (or title); null when Grafana could not be asked. */
  present: boolean | null;
}

export interface GrafanaStatus {
  configured: boolean;
  url: string | null;
  reachable: boolean | null;
  version: string | null;
  database: string | null;
  detail: string | null;
  dashboards: ProvisionedDashboard[];
}

export const GRAFANA_DIR = fileURLToPath(new URL('../../../../../ops/grafana/', import.meta.url));

export async function grafanaStatus(
  viewer: Viewer | null,
  settings: { url: string; token: string | null; dir?: string },
): Promise<GrafanaStatus> {
  authorize(viewer, 'readIntegrations');
  const files = await provisionedDashboards(settings.dir ?? GRAFANA_DIR);
  if (!settings.url) {
    return {
      configured: false,
      url: null,
      reachable: null,
      version: null,
      database: null,
      detail: 'Grafana is not configured (observability.grafana.url)',
      dashboards: files.map((d) => ({ ...d, present: null })),
    };
  }
  const headers: Record<string, string> = settings.token ? { authorization: `Bearer ${settings.token}` } : {};
  const health = await getJson<{ version?: string; database?: string }>(settings.url, '/api/health', headers);
  let found: { uid?: string; title?: string }[] | null = null;
  if (health.ok) {
    const search = await getJson<{ uid?: string; title?: string }[]>(
      settings.url,
      '/api/search?type=dash-db',
      headers,
    );
    if (search.ok && Array.isArray(search.body)) found = search.body;
  }
  return {
    configured: true,
    url: displayUrl(settings.url),
    reachable: health.ok,
    version: health.ok ? (health.body?.version ?? null) : null,
    database: health.ok ? (health.body?.database ?? null) : null,
    detail: health.detail,
    dashboards: files.map((d) => ({
      ...d,
      present: found ? found.some((g) => (d.uid ? g.uid === d.uid : g.title === d.title)) : null,
    })),
  };
}

async function getJson<T>(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ ok: boolean; body: T | null; detail: string }> {
  try {
    const response = await fetch(new URL(path, base), { headers, signal: AbortSignal.timeout(3000) });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, body: null, detail: `answered ${response.status}` };
    }
    return { ok: true, body: (await response.json()) as T, detail: 'ok' };
  } catch (err) {
    return { ok: false, body: null, detail: `unreachable: ${(err as Error).name}` };
  }
}

/** Every dashboard JSON under the folder (recursively), by title; none when the folder does not exist. */
export async function provisionedDashboards(dir: string): Promise<Omit<ProvisionedDashboard, 'present'>[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Omit<ProvisionedDashboard, 'present'>[] = [];
  for (const file of names.sort()) {
    try {
      const doc = JSON.parse(await readFile(join(dir, file), 'utf8')) as Record<string, unknown>;
      if (!Array.isArray(doc.panels) || typeof doc.title !== 'string') continue;
      out.push({ uid: typeof doc.uid === 'string' ? doc.uid : null, title: doc.title, file });
    } catch {
      continue;
    }
  }
  return out;
}
