import type { BulkOptions, BulkReport, BulkRowErrors, BulkRowResult, BulkTask } from './bulkTypes.js';
import { describeRowError } from './describeRowError.js';
import { withFormerNames } from '../withFormerNames.js';

/** The names report fields had before, kept for one release as deprecated getters. */
const FORMER_REPORT_NAMES = { successCount: 'succeeded', failedCount: 'failed', retryCount: 'retries', aborted: 'wasAborted' } as const;

/** Runs rows again: what a report's `retryFailed()` calls, checking the merged options as a first run does. */
export type RerunRows = <I, T>(
  items: readonly I[],
  indices: readonly number[],
  task: BulkTask<I, T>,
  options: BulkOptions,
) => Promise<Map<number, BulkRowResult<I, T>>>;

/** The report of a run: every row in input order, the failed ones described for a screen, and `retryFailed()`. */
export function buildReport<I, T>(
  items: readonly I[],
  byIndex: Map<number, BulkRowResult<I, T>>,
  task: BulkTask<I, T>,
  options: BulkOptions,
  rerun: RerunRows,
): BulkReport<I, T> {
  const results: BulkRowResult<I, T>[] = [];
  const errors: BulkRowErrors[] = [];
  const failedItems: I[] = [];
  const failedIndices: number[] = [];
  let succeeded = 0;
  let retries = 0;
  let wasAborted = false;
  for (let index = 0; index < items.length; index++) {
    const result = byIndex.get(index);
    if (result === undefined) {
      // Unreachable by construction; a row is never dropped silently, so say so loudly if it ever happens.
      throw new Error(`xstate-circuit-breaker: runBulk() lost row ${index}. Please report this bug.`);
    }
    results.push(result);
    retries += Math.max(0, result.attempts - 1);
    if (result.status === 'succeeded') {
      succeeded++;
      continue;
    }
    if (result.reason === 'aborted' || result.reason === 'not-started') wasAborted = true;
    failedItems.push(result.item);
    failedIndices.push(index);
    errors.push({ row: index + 1, index, errors: describeRowError(result.error, result.reason) });
  }
  const report = {
    total: items.length,
    succeeded,
    failed: failedIndices.length,
    retries,
    wasAborted,
    results,
    errors,
    failedItems,
    failedIndices,
    retryFailed: async (retryOptions: BulkOptions = {}): Promise<BulkReport<I, T>> => {
      const merged = { ...options, ...retryOptions };
      const again = await rerun(items, failedIndices, task, merged);
      const all = new Map<number, BulkRowResult<I, T>>();
      for (const result of results) all.set(result.index, again.get(result.index) ?? result);
      return buildReport(items, all, task, merged, rerun);
    },
  };
  return withFormerNames(report, FORMER_REPORT_NAMES);
}
