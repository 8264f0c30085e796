// createSubgraphContext: what a module's loaders are built from, once per request.
import { describe, it, expect } from '@jest/globals';
import { parse } from 'graphql';
import { InProcessEventBus } from '../bus/in-process-bus.ts';
import { createLogger } from '../logging/logger.ts';
import type { SubgraphModule, SubgraphRuntime, Viewer } from './module.ts';
import { createSubgraphContext } from './runtime.ts';

describe('createSubgraphContext', () => {
  it("builds the loaders with the request's entity manager, runtime and viewer", () => {
    const forked = { forked: true };
    const runtime = {
      name: 'chat',
      orm: { em: { fork: () => forked } },
      bus: new InProcessEventBus(),
      logger: createLogger({ name: 'runtime-test', level: 'silent' }),
      config: {},
    } as unknown as SubgraphRuntime;
    const seen: unknown[][] = [];
    const module: SubgraphModule<{ args: unknown[] }> = {
      name: 'chat',
      dbSchema: 'chat',
      typeDefs: parse('type Query { ping: String }'),
      resolvers: {},
      entities: [],
      migrationsPath: '',
      createLoaders: (...args) => {
        seen.push(args);
        return { args };
      },
    };
    const viewer: Viewer = { kind: 'user', id: 'u-1', role: 'MEMBER' };
    const context = createSubgraphContext(module, runtime, { viewer, requestId: 'r-1' });
    expect(seen).toEqual([[forked, runtime, viewer]]);
    expect(context.loaders.args[2]).toBe(viewer);
    createSubgraphContext(module, runtime, { viewer: null, requestId: 'r-2' });
    expect(seen[1][2]).toBeNull();
  });
});
