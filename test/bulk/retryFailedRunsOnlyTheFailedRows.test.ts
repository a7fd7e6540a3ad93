import { describe, expect, it } from 'vitest';
import { createExecutor, runBulk, type BulkProgress } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { noPacing } from '../support/bulkHelpers.js';

describe('retryFailed() runs only the failed rows again', () => {
  it('keeps the first run options it is not told to change, and reports the merged outcome', async () => {
    const clock = createTestClock();
    const down = createExecutor({ clock, ...noPacing });
    const hold = down.isolate();
    const progress: BulkProgress[] = [];
    const first = await runBulk(['a', 'b', 'c'], async (item) => item.toUpperCase(), {
      executor: down,
      concurrency: 1,
      onProgress: (p) => progress.push(p),
      onCircuitOpen: 'fail',
    });
    expect(first).toMatchObject({ failed: 3, failedIndices: [0, 1, 2] });
    progress.length = 0;

    const up = createExecutor({ clock, ...noPacing });
    const again = await first.retryFailed({ executor: up });
    hold.dispose();
    expect(again).toMatchObject({ total: 3, succeeded: 3, failed: 0, retries: 0, wasAborted: false, errors: [], failedItems: [], failedIndices: [] });
    expect(again.results.map((r) => r.status === 'succeeded' && r.value)).toEqual(['A', 'B', 'C']);
    expect(up.getStats().calls).toBe(3);
    // The first run's onProgress and concurrency (1) are kept: the next row starts as the previous one ends.
    expect(progress.map((p) => [p.total, p.done, p.inFlight])).toEqual([
      [3, 0, 1],
      [3, 0, 1],
      [3, 1, 1],
      [3, 1, 1],
      [3, 2, 1],
      [3, 3, 0],
    ]);
  });

  it('runs only the rows still failed, each time, and rejects bad options', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const calls: string[] = [];
    let round = 0;
    const task = async (item: string): Promise<string> => {
      calls.push(`${round}:${item}`);
      if (item === 'bad' || (item === 'late' && round < 2)) throw httpError(400);
      return item;
    };
    const first = await runBulk(['ok', 'late', 'bad'], task, { executor });
    round = 1;
    const totals: string[] = [];
    const second = await first.retryFailed({ onProgress: (p) => totals.push(`${round}:${p.total}:${p.done}`) });
    round = 2;
    // The options given to the first retry stay with the report it returned.
    const third = await second.retryFailed();
    expect(calls).toEqual(['0:ok', '0:late', '0:bad', '1:late', '1:bad', '2:late', '2:bad']);
    expect(totals.filter((t) => t.startsWith('2:')).at(-1)).toBe('2:2:2');
    expect(second.failedIndices).toEqual([1, 2]);
    expect(third).toMatchObject({ succeeded: 2, failed: 1, failedIndices: [2], failedItems: ['bad'] });
    expect(third.errors).toEqual([{ row: 3, index: 2, errors: [{ field: null, message: 'HTTP 400', code: 'HTTP_400' }] }]);
    await expect(third.retryFailed({ concurrency: 0 })).rejects.toThrow(RangeError);
  });
});
