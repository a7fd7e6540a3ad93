import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/createExecutor.js';
import { createResilientFetch, isCircuitOpenResult } from '../../src/supabase/index.js';
import { createManualClock } from './support/createManualClock.js';
import { createTestClient } from './support/createTestClient.js';
import { startBackend, type TestBackend } from './support/startBackend.js';

let server: TestBackend;

beforeAll(async () => {
  server = await startBackend();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('isCircuitOpenResult with a real supabase-js client', () => {
  it('recognises the result supabase-js builds from the CircuitOpenError of an open circuit, and nothing else', async () => {
    const clock = createManualClock();
    server.setNow(() => clock.now());
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 60_000 });
    try {
      const supabase = createTestClient(server.backend.url, createResilientFetch(executor));
      const ok = await supabase.from('contacts').select('id').limit(1);
      expect(ok.error).toBeNull();
      expect(isCircuitOpenResult(ok)).toBe(false);

      executor.isolate();
      const requestsBefore = server.backend.stats.requests;
      const refused = await supabase.from('contacts').select('id').limit(1);
      expect(server.backend.stats.requests).toBe(requestsBefore);
      expect(refused.error?.message).toMatch(/^CircuitOpenError: /);
      expect(isCircuitOpenResult(refused)).toBe(true);
      expect(isCircuitOpenResult(refused.error)).toBe(true);
      expect(isCircuitOpenResult({ error: { message: 'TypeError: fetch failed', details: '' } })).toBe(false);
      expect(isCircuitOpenResult(null)).toBe(false);
    } finally {
      executor.stop();
    }
  });
});
