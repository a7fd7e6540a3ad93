import type { BulkProgress } from '../../../../src/index.js';

/** The counters of one run: what it was given (`total`), what ended, and what it never sent. */
export interface ImportRunCounts {
  readonly total: number;
  /** Rows that ended, imported or failed; rows never sent are not done. */
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Rows never sent because the run was stopped first. */
  readonly notStarted: number;
  readonly retries: number;
  readonly inFlight: number;
  readonly waiting: number;
}

/**
 * The counters of a run while it goes: `runBulk`'s progress over the rows sent, plus the `invalid` rows the check
 * refused, which ended (failed) before the run began.
 *
 * @example
 * liveRunCounts({ total: 2, done: 1, succeeded: 1, failed: 0, notStarted: 0, inFlight: 1, waiting: 0, retries: 0, paused: false, nextTrialAt: null }, 1)
 * // { total: 3, done: 2, succeeded: 1, failed: 1, notStarted: 0, retries: 0, inFlight: 1, waiting: 0 }
 */
export function liveRunCounts(progress: BulkProgress, invalid: number): ImportRunCounts {
  return {
    total: progress.total + invalid,
    done: progress.done + invalid,
    succeeded: progress.succeeded,
    failed: progress.failed + invalid,
    notStarted: progress.notStarted,
    retries: progress.retries,
    inFlight: progress.inFlight,
    waiting: progress.waiting,
  };
}
