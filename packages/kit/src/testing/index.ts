// @sting/kit/testing: what tests use and production code never does (a throwaway runtime per test file,
// running operations as a viewer, waiting). Kept off kit's main entry so nothing ships it by accident.
export * from './wait.ts';
export * from '../subgraph/test-runtime.ts';
export * from '../subgraph/testing.ts';
