// The chat subgraph under test: kit's test runtime for this module (the factories are in factories.ts).
import type { Logger } from 'pino';
import { type EventBus } from '@sting/kit';
import { createTestBus, startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { beeFor } from '../src/domain/bee/bee.ts';
import { subgraph } from '../src/index.ts';

export { createTestBus as createBus, buildTestViewer as buildViewer } from '@sting/kit/testing';

export { buildConversation, buildMessage } from './factories.ts';

export type ChatHarness = TestRuntime;

/** Closing waits for Bee's answers still being written, so none writes into a dropped schema. */
export async function startChat(
  bus: EventBus = createTestBus('in-process'),
  logger?: Logger,
): Promise<ChatHarness> {
  const harness = await startTestRuntime(subgraph, { bus, ...(logger ? { logger } : {}) });
  return {
    ...harness,
    async close() {
      await beeFor(harness.runtime).close();
      await harness.close();
    },
  };
}
