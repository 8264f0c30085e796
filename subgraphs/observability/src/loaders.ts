// The observability subgraph's per-request DataLoaders: none yet. Alerts are read a page or one reference at a
// time and the status probes hold no rows, so nothing here is asked for the same row twice in a request.
export type ObservabilityLoaders = Record<string, unknown>;

export function createLoaders(): ObservabilityLoaders {
  return {};
}
