// The observability subgraph under test: kit's test runtime for this module (or a variant of it), with the
// platform config under test (embedded topology unless a test says otherwise).
import { type EventBus, type SubgraphModule } from '@sting/kit';
import { createTestBus, startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';

export { createTestBus as createBus, buildTestViewer as buildViewer } from '@sting/kit/testing';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export type ObservabilityHarness = TestRuntime;

export function startObservability(
  options: { bus?: EventBus; config?: unknown; module?: SubgraphModule<any> } = {},
): Promise<ObservabilityHarness> {
  return startTestRuntime(options.module ?? subgraph, {
    bus: options.bus ?? createTestBus('in-process'),
    config: options.config ?? { topology: 'embedded' },
  });
}
