// Tells Monaco where GraphiQL's editor workers live: files bundled beside the playground script, so the
// editor never fetches code from anywhere but this gateway.
const workerFiles: Record<string, string> = {
  json: 'json.worker.js',
  graphql: 'graphql.worker.js',
};

(globalThis as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return new Worker(new URL(workerFiles[label] ?? 'editor.worker.js', import.meta.url));
  },
};
