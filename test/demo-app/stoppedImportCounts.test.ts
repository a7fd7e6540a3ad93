import { describe, expect, it } from 'vitest';
import { runBulk, type BulkReport, type BulkTask } from '../../src/index.js';
import type { ImportItem } from '../../demo/app/src/import/createContactImport.js';
import { generateContactsCsv } from '../../demo/app/src/import/generateContactsCsv.js';
import { liveRunCounts } from '../../demo/app/src/import/liveRunCounts.js';
import { planImport } from '../../demo/app/src/import/planImport.js';
import { readContactsCsv } from '../../demo/app/src/import/readContactsCsv.js';
import { toImportReport } from '../../demo/app/src/import/toImportReport.js';

/**
 * Imports `imported` rows one at a time, then stops the run as the Stop button does while the next row is being
 * sent: that row fails as aborted (it may have reached the server), the rest were never sent.
 */
async function stoppedRun(items: readonly ImportItem[], imported: number): Promise<BulkReport<ImportItem, string>> {
  const controller = new AbortController();
  let sent = 0;
  const task: BulkTask<ImportItem, string> = (item, _index, { signal }) => {
    if (++sent <= imported) return Promise.resolve(item.row.id);
    controller.abort(new DOMException('Stopped by the user.', 'AbortError'));
    return Promise.reject(signal.reason);
  };
  return runBulk(items, task, { concurrency: 1, signal: controller.signal });
}

describe('the counters of a stopped import', () => {
  it('counts the rows never sent as not started, neither done nor failed: 121/300 done, 179 not started', async () => {
    const plan = planImport(readContactsCsv(generateContactsCsv(300, 'stop')).drafts);
    const bulk = await stoppedRun(plan.items, 120);
    // runBulk counts every row as done and failed once the run has ended.
    expect([bulk.succeeded, bulk.failed]).toEqual([120, 180]);
    const report = toImportReport(plan, bulk);
    expect(report.lastRun).toMatchObject({ total: 300, done: 121, succeeded: 120, failed: 1, notStarted: 179 });
    expect([report.succeeded, report.failed, report.notStarted, report.wasAborted]).toEqual([120, 1, 179, true]);
    expect(report.rows[120]!.problems[0]!.code).toBe('ABORTED');
    expect(report.rows.filter((row) => row.status === 'not-started').every((row) => row.problems[0]?.code === 'NOT_STARTED')).toBe(true);
  });

  it('sends the rows not started with "Retry failed rows", and counts that run alone', async () => {
    const plan = planImport(readContactsCsv(generateContactsCsv(10, 'stop')).drafts);
    const report = toImportReport(plan, await stoppedRun(plan.items, 4));
    const retry = planImport(readContactsCsv(generateContactsCsv(10, 'stop')).drafts, report);
    expect(retry.items).toHaveLength(6);
    const again = toImportReport(retry, await runBulk(retry.items, (item) => item.row.id));
    expect(again.lastRun).toMatchObject({ total: 6, done: 6, succeeded: 6, failed: 0, notStarted: 0 });
    expect([again.succeeded, again.failed, again.notStarted, again.wasAborted]).toEqual([10, 0, 0, false]);
  });

  it("gives the last run's retries, not the retries of every run added up", () => {
    const plan = planImport(readContactsCsv(generateContactsCsv(2, 'retry')).drafts);
    const results = plan.items.map((item, index) => ({ index, item, status: 'succeeded' as const, value: item.row.id, attempts: 3 }));
    const first = toImportReport(plan, { results, retries: 4, wasAborted: false });
    expect(first.lastRun.retries).toBe(4);
    // A retry of nothing: its run made no retries, whatever the run before it made.
    const none = planImport(readContactsCsv(generateContactsCsv(2, 'retry')).drafts, first);
    const again = toImportReport(none, { results: [], retries: 0, wasAborted: false });
    expect(again.lastRun.retries).toBe(0);
    expect(again.succeeded).toBe(2);
  });

  it('adds the rows the check refused to the live counters of the run', () => {
    const progress = { total: 2, done: 1, succeeded: 1, failed: 0, notStarted: 0, inFlight: 1, waiting: 0, retries: 2, paused: false, nextTrialAt: null };
    expect(liveRunCounts(progress, 3)).toEqual({ total: 5, done: 4, succeeded: 1, failed: 3, notStarted: 0, retries: 2, inFlight: 1, waiting: 0 });
  });
});
