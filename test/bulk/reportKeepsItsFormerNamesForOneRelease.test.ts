import { describe, expect, it } from 'vitest';
import { createExecutor, runBulk } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { noPacing } from '../support/bulkHelpers.js';

/**
 * runBulk's report counts rows as its progress does (`succeeded`, `failed`, `retries`) and says whether the run was
 * cut short with `wasAborted`. The names it had before (`successCount`, `failedCount`, `retryCount`, and the boolean
 * `aborted`) still read the same values for one release, as deprecated getters that JSON and object spread leave out.
 */

describe("runBulk's report keeps its former names for one release", () => {
  it('each former name reads the same value as its new name, on the report and on the one retryFailed() returns', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing, maxRetries: 0 });
    const controller = new AbortController();
    let bad = true;
    const report = await runBulk(
      ['ok', 'bad', 'stopped'],
      async (item) => {
        if (item === 'bad' && bad) throw httpError(400);
        if (item === 'stopped' && bad) controller.abort('stop');
        return item;
      },
      { executor, concurrency: 1, signal: controller.signal },
    );
    expect(report).toMatchObject({ succeeded: 1, failed: 2, retries: 0, wasAborted: true });
    expect([report.successCount, report.failedCount, report.retryCount, report.aborted]).toEqual([
      report.succeeded,
      report.failed,
      report.retries,
      report.wasAborted,
    ]);
    bad = false;
    const again = await report.retryFailed({ signal: new AbortController().signal });
    expect(again).toMatchObject({ succeeded: 3, failed: 0, wasAborted: false });
    expect([again.successCount, again.failedCount, again.retryCount, again.aborted]).toEqual([3, 0, 0, false]);
  });

  it('counts retries under both names', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const run = runBulk(['a'], async (_item, _index, { attempt }) => (attempt < 3 ? Promise.reject(httpError(429)) : 'a'), { executor });
    await clock.advance(100);
    await clock.advance(200);
    const report = await run;
    expect([report.retries, report.retryCount]).toEqual([2, 2]);
  });

  it('JSON and an object spread show the new names only', async () => {
    const report = await runBulk([1], async (n) => n, { executor: createExecutor({ clock: createTestClock(), ...noPacing }) });
    const names = ['total', 'succeeded', 'failed', 'retries', 'wasAborted', 'results', 'errors', 'failedItems', 'failedIndices'];
    expect(Object.keys(JSON.parse(JSON.stringify(report)) as object)).toEqual(names);
    expect(Object.keys({ ...report })).toEqual([...names, 'retryFailed']);
  });
});
