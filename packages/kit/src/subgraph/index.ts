// The subgraph hosting surface of @sting/kit (test helpers are in @sting/kit/testing, not here).
export * from './module.ts';
export * from './names.ts';
export * from './config.ts';
export * from './define.ts';
export * from './runtime.ts';
export * from './host.ts';
export * from './peers.ts';
export * from './http-bridge.ts';
export * from './serve.ts';
export * from './scalars.ts';
