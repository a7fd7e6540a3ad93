/**
 * onProgress hears every change of a run with exact counts (done, succeeded, failed, in flight, waiting, retries),
 * and the report that ends it agrees.
 */

import { describe, expect, it, vi } from 'vitest';
import { createExecutor, runBulk, type BulkProgress } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { noPacing } from '../support/bulkHelpers.js';

describe('runBulk reports its progress exactly', () => {
  it('reports inFlight, waiting and retries exactly through a small scripted run', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const progress: BulkProgress[] = [];
    // a: 429 twice, then ok. b: ok. c: 400 (not retried).
    const run = runBulk(['a', 'b', 'c'], async (item, _i, { attempt }) => {
      if (item === 'a' && attempt < 3) throw httpError(429);
      if (item === 'c') throw httpError(400);
      return item;
    }, { executor, concurrency: 2, onProgress: (p) => progress.push(p) });
    await clock.advance(100);
    await clock.advance(200);
    const report = await run;

    const row = (done: number, succeeded: number, failed: number, inFlight: number, waiting: number, retries: number): BulkProgress => ({
      total: 3,
      done,
      succeeded,
      failed,
      notStarted: 0,
      inFlight,
      waiting,
      retries,
      paused: false,
      nextTrialAt: null,
    });
    expect(progress).toEqual([
      row(0, 0, 0, 1, 0, 0), // a sent
      row(0, 0, 0, 2, 0, 0), // b sent
      row(0, 0, 0, 2, 1, 0), // a waits; its slot goes to c, sent at once
      row(0, 0, 0, 2, 1, 0), // a's onRetry
      row(1, 1, 0, 1, 1, 0), // b succeeded
      row(2, 1, 1, 0, 1, 0), // c failed
      row(2, 1, 1, 1, 0, 1), // a sent again
      row(2, 1, 1, 0, 1, 1), // a waits again
      row(2, 1, 1, 1, 0, 2), // a sent a third time
      row(3, 2, 1, 0, 0, 2), // a succeeded
    ]);
    expect(report.results).toEqual([
      { index: 0, item: 'a', status: 'succeeded', value: 'a', attempts: 3 },
      { index: 1, item: 'b', status: 'succeeded', value: 'b', attempts: 1 },
      { index: 2, item: 'c', status: 'failed', reason: 'error', error: expect.objectContaining({ status: 400 }), attempts: 1 },
    ]);
    expect(report).toMatchObject({ total: 3, succeeded: 2, failed: 1, retries: 2, wasAborted: false, failedItems: ['c'], failedIndices: [2] });
    expect(report.errors).toEqual([{ row: 3, index: 2, errors: [{ field: null, message: 'HTTP 400', code: 'HTTP_400' }] }]);
  });

  it('a throwing onProgress loses no row', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const onProgress = vi.fn(() => {
      throw new Error('progress bug');
    });
    const report = await runBulk([1, 2, 3], async (n) => n, { executor, onProgress });
    expect(report).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
    expect(onProgress).toHaveBeenCalledTimes(6);
  });
});
