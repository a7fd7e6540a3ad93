import { defineConfig } from 'vitest/config';

/**
 * The demo's browser tests (`npm run test:browser`): each file starts the embedded backend, the Vite dev server of
 * demo/app and Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core, so they run in
 * Node, one file at a time (two Chromiums and two dev servers on two cores make each slower and flakier).
 * `UPDATE_SCREENSHOTS=1` writes the screenshots into docs/screenshots/. Vitest demands a default export here.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    typecheck: { enabled: false },
  },
});
