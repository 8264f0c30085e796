// The logs part of the observability configuration as this subgraph sees it; tests hand partial slices, so every
// key has its default here too.
import type { SubgraphRuntime } from '@sting/kit';
import { DEFAULT_LOG_RETENTION_DAYS } from './retention.ts';

export interface LogSettings {
  lokiUrl: string;
  retentionDays: number;
  topology: string;
  grafanaUrl: string;
  grafanaToken: string | null;
}

interface PartialSlice {
  topology?: string;
  loki?: { url?: string };
  logs?: { retentionDays?: number };
  grafana?: { url?: string; apiToken?: string | null };
}

export function logSettings(runtime: Pick<SubgraphRuntime, 'config'>): LogSettings {
  const c = runtime.config as PartialSlice;
  return {
    lokiUrl: c.loki?.url ?? '',
    retentionDays: c.logs?.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    topology: c.topology ?? 'embedded',
    grafanaUrl: c.grafana?.url ?? '',
    grafanaToken: c.grafana?.apiToken || null,
  };
}
