// Test code stays in tests: kit's main entry ships no test helper; they come from @sting/kit/testing.
import { describe, it, expect } from '@jest/globals';
import * as kit from '../src/index.ts';
import * as testing from '../src/testing/index.ts';

const HELPERS = [
  'startTestRuntime',
  'createTestBus',
  'buildTestViewer',
  'countQueries',
  'executeAs',
  'waitFor',
];

describe('@sting/kit entries', () => {
  it('keeps test helpers off the main entry and on @sting/kit/testing', () => {
    expect(HELPERS.filter((name) => name in kit)).toEqual([]);
    expect(HELPERS.filter((name) => !(name in testing))).toEqual([]);
  });
});
