import { afterEach } from 'vitest';

// Vitest reports an unhandled rejection but may blame the wrong test; this makes the test during which it happened
// fail by name, so no rejection anywhere in the suite goes unnoticed.
const seen: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  seen.push(reason);
});

afterEach(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  if (seen.length > 0) {
    const reasons = seen.splice(0);
    throw new Error(`Unhandled rejection during this test: ${reasons.map((r) => (r instanceof Error ? r.message : String(r))).join('; ')}`);
  }
});
