// Mutation testing of the model (machines/) and the core of the executor (src/ without the framework adapters).
// Run with `npm run test:mutation`; the score and every surviving mutant, with its reason, are in docs/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'machines/**/*.ts',
    'src/createExecutor.ts',
    'src/executor/**/*.ts',
    'src/pacing/**/*.ts',
    'src/bulk/runBulk.ts',
    'src/clock.ts',
    'src/sync/**/*.ts',
    '!**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 6_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
export default config;
