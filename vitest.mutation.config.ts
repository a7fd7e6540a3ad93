import { defineConfig } from 'vitest/config';

/** The suites of the core that run on a simulated clock, which Stryker runs against each mutant (see stryker.config.mjs). */
export default defineConfig({
  test: {
    include: [
      'test/machines/**/*.test.ts',
      'test/executor/**/*.test.ts',
      'test/bulk/**/*.test.ts',
      'test/pacing/**/*.test.ts',
      'test/classify/**/*.test.ts',
      'test/security/**/*.test.ts',
      'test/clock.test.ts',
      'test/sync/**/*.test.ts',
      // The reliability tests that run on a simulated clock (not those against real servers, too slow per mutant).
      'test/reliability/config.table.test.ts',
      'test/reliability/badHeaders.test.ts',
      'test/reliability/concurrency.property.test.ts',
      'test/reliability/unhandled.test.ts',
    ],
    environment: 'node',
    // Short: a mutant that makes a test hang costs this much per test, and the longest test here takes about 3 s.
    testTimeout: 6_000,
  },
});
