import { defineConfig } from 'vitest/config';

/** The fast unit suites of the core, which Stryker runs against each mutant (see stryker.config.mjs). */
export default defineConfig({
  test: {
    include: [
      'test/machines/**/*.test.ts',
      'test/executor/**/*.test.ts',
      'test/bulk/**/*.test.ts',
      'test/pacing/**/*.test.ts',
      'test/classify/**/*.test.ts',
      'test/security/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
