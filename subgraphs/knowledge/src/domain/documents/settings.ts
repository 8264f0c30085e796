// The `knowledge` section of the configuration as documents use it, with the defaults of config.yml for runtimes
// handed a partial configuration (subgraph tests).
import type { StingConfig } from '@sting/kit';
import { DEFAULT_EXTRACTION_LIMITS } from '../../ingest/extract.ts';
import type { ExtractionLimits } from '../../ingest/types.ts';

export interface DocumentSettings {
  maxUploadBytes: number;
  jarQuotaBytes: number;
  maxPendingProposals: number;
  uploadTtlSeconds: number;
  storageDir: string;
  jobs: { concurrency: number; retryLimit: number; retryDelaySeconds: number; expireSeconds: number };
  extraction: ExtractionLimits;
}

type PartialConfig = { root?: string; knowledge?: Partial<StingConfig['knowledge']> } | undefined;

export function documentSettings(config: unknown): DocumentSettings {
  const knowledge = (config as PartialConfig)?.knowledge ?? {};
  const jobs = knowledge.jobs ?? ({} as Partial<StingConfig['knowledge']['jobs']>);
  return {
    maxUploadBytes: knowledge.maxUploadBytes ?? 50 * 1024 * 1024,
    jarQuotaBytes: knowledge.jarQuotaBytes ?? 10 * 1024 * 1024 * 1024,
    maxPendingProposals: knowledge.maxPendingProposals ?? 20,
    uploadTtlSeconds: knowledge.uploadTtlSeconds ?? 900,
    storageDir: knowledge.storage?.dir ?? '.data/knowledge/blobs',
    jobs: {
      concurrency: jobs.concurrency ?? 2,
      retryLimit: jobs.retryLimit ?? 3,
      retryDelaySeconds: jobs.retryDelaySeconds ?? 5,
      expireSeconds: jobs.expireSeconds ?? 900,
    },
    extraction: { ...DEFAULT_EXTRACTION_LIMITS, ...knowledge.extraction },
  };
}
