// One Jest run over every workspace. TypeScript is transpiled by SWC (no type-check at test time:
// `npm run typecheck` does that) and executed as native ES modules (MikroORM 7 and Apollo Server 5 are ESM).
const workspaces = [
  'packages/kit',
  'packages/pollen-filter',
  'packages/llm',
  'subgraphs/identity',
  'subgraphs/honey-jars',
  'subgraphs/knowledge',
  'subgraphs/chat',
  'subgraphs/observability',
  'gateway',
  'schema',
  'ops',
  'tests',
];

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
  },
];

// The web app's component tests: TSX through SWC with React's automatic runtime, in jsdom.
const web = {
  displayName: 'web',
  rootDir: '<rootDir>/web',
  testEnvironment: 'jsdom',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
  setupFiles: ['<rootDir>/src/test-setup.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

export default {
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  testTimeout: 30000,
  // The second keeps which test files are running for `npm test`, which stops a run that hangs
  // (ops/src/test-runner.ts).
  reporters: ['default', '<rootDir>/ops/src/test-watch-reporter.ts'],
  // On two cores Jest has one worker; with a memory limit it runs the suites in that worker process and starts a
  // fresh one once a suite leaves it above the limit, instead of running everything in its own process, which the
  // whole suite (each file starting a platform) outgrows.
  workerIdleMemoryLimit: '1536MB',
  // A worker that ends the run near that limit takes over half a second to exit cleanly (freeing a heap of
  // about 1.5 GB); Jest's default of 500 ms would kill it and report a leak that is not there.
  workerGracefulExitTimeout: 5000,
  projects: workspaces
    .map((dir) => ({
      displayName: dir.split('/').pop(),
      rootDir: `<rootDir>/${dir}`,
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      transform: { '^.+\\.ts$': swc },
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/bench/'],
      setupFiles: ['<rootDir>/../' + (dir.includes('/') ? '../' : '') + 'tests/setup/per-file.ts'],
    }))
    .concat([web]),
};
