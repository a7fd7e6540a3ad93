import type { BulkReport, RowError } from '../../../../src/index.js';
import type { ImportItem } from './createContactImport.js';
import type { ImportRunCounts } from './liveRunCounts.js';
import { describeImportError } from './describeImportError.js';
import type { ImportPlan } from './planImport.js';

/** How one CSV row ended: imported, failed (its problems say why), or never sent because the import was stopped. */
export type ImportRowStatus = 'succeeded' | 'failed' | 'not-started';

/** One CSV row in the report. `index` is its 0-based place among the CSV's data rows; the CSV line is `item.draft.line`. */
export interface ImportRowOutcome {
  readonly index: number;
  readonly item: ImportItem;
  readonly status: ImportRowStatus;
  /** Why it did not succeed: `{ field, message, code }` lines, empty when it succeeded. */
  readonly problems: readonly RowError[];
}

/** Where an import stands after its runs: every row of the CSV once, and the counters of the last run. */
export interface ImportReport {
  /** Every row of the import, in CSV order. */
  readonly rows: readonly ImportRowOutcome[];
  readonly succeeded: number;
  readonly failed: number;
  readonly notStarted: number;
  /** True when the last run was stopped before its end. */
  readonly wasAborted: boolean;
  /** The last run alone: its rows, retries and stop; earlier runs are not added in. */
  readonly lastRun: ImportRunCounts;
}

/**
 * The report after a run of `plan`: the rows it sent with their outcomes from `bulk` (which ran `plan.items`, in
 * order), the rows its check refused, and the rows it kept from before. A row `runBulk` never sent because the run
 * was stopped is `not-started`, counted apart from the failed ones; retries are this run's only.
 *
 * @example
 * const report = toImportReport(plan, await runBulk(plan.items, task, options))
 * report.lastRun // { total: 300, done: 120, succeeded: 120, failed: 0, notStarted: 180, retries: 4, inFlight: 0, waiting: 0 }
 */
export function toImportReport(plan: ImportPlan, bulk: Pick<BulkReport<ImportItem, unknown>, 'results' | 'retries' | 'wasAborted'>): ImportReport {
  if (bulk.results.length !== plan.items.length) {
    throw new RangeError(`toImportReport: the run has ${bulk.results.length} results for a plan of ${plan.items.length} rows.`);
  }
  const sent = bulk.results.map((result, i): ImportRowOutcome => {
    const index = plan.indices[i]!;
    if (result.status === 'succeeded') return { index, item: result.item, status: 'succeeded', problems: [] };
    return {
      index,
      item: result.item,
      status: result.reason === 'not-started' ? 'not-started' : 'failed',
      problems: describeImportError(result.error, result.reason),
    };
  });
  const rows = [...plan.kept, ...plan.invalid, ...sent].sort((a, b) => a.index - b.index);
  const count = (list: readonly ImportRowOutcome[], status: ImportRowStatus): number => list.filter((row) => row.status === status).length;
  const ran = [...plan.invalid, ...sent];
  const notStarted = count(ran, 'not-started');
  return {
    rows,
    succeeded: count(rows, 'succeeded'),
    failed: count(rows, 'failed'),
    notStarted: count(rows, 'not-started'),
    wasAborted: bulk.wasAborted,
    lastRun: {
      total: ran.length,
      done: ran.length - notStarted,
      succeeded: count(ran, 'succeeded'),
      failed: count(ran, 'failed'),
      notStarted,
      retries: bulk.retries,
      inFlight: 0,
      waiting: 0,
    },
  };
}
