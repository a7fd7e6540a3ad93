import type { Executor } from '../createExecutor.js';
import type { AttemptContext } from '../types.js';
import type { RowError } from './describeRowError.js';

/** What a bulk task receives besides its item and index. */
export type BulkTaskContext = AttemptContext;

/** The work `runBulk` does for one item; its return value (a `Response`, for instance) is the row's value. */
export type BulkTask<I, T> = (item: I, index: number, context: BulkTaskContext) => PromiseLike<T> | T;

/** Why a row failed. */
export type BulkFailureReason =
  /** The task's error, passed through or after retries (`RetriesExhaustedError`). */
  | 'error'
  /** The circuit rejected the row without sending it. */
  | 'circuit-open'
  /** The run was aborted while the row was being sent or waited to be retried. */
  | 'aborted'
  /** The run was aborted before the row was sent. */
  | 'not-started';

/** How one row ended: succeeded with its value, or failed with its reason and error; `attempts` made either way. */
export type BulkRowResult<I, T> =
  | { readonly index: number; readonly item: I; readonly status: 'succeeded'; readonly value: T; readonly attempts: number }
  | {
      readonly index: number;
      readonly item: I;
      readonly status: 'failed';
      readonly reason: BulkFailureReason;
      readonly error: unknown;
      readonly attempts: number;
    };

/** A failed row as an import screen lists it. `row` is 1-based (the line a person counts), `index` 0-based. */
export interface BulkRowErrors {
  readonly row: number;
  readonly index: number;
  readonly errors: readonly RowError[];
}

/** What `onProgress` is told: the counts of the run so far, and whether an open circuit pauses it. */
export interface BulkProgress {
  readonly total: number;
  /** True while the run waits for an open circuit to let a trial through (`onCircuitOpen: 'wait'`). */
  readonly paused: boolean;
  /** While paused: clock time of the circuit's next trial, or `null` when it is not known (half-open, isolated). */
  readonly nextTrialAt: number | null;
  /** Rows finished, succeeded or failed (rows that ended unsent are in `notStarted` instead). */
  readonly done: number;
  readonly succeeded: number;
  /** Rows sent that failed (their report reason is anything but `'not-started'`). */
  readonly failed: number;
  /**
   * Rows the run ended before sending (the signal aborted it, or the executor stopped): neither done nor failed, so
   * progress after a Stop reads "120 of 300 done, 180 not started". In the report they are failed rows with reason
   * `'not-started'`, so that `retryFailed()` sends them.
   */
  readonly notStarted: number;
  /** Rows being sent now. */
  readonly inFlight: number;
  /** Rows between attempts (backing off or waiting out a Retry-After), holding no slot. */
  readonly waiting: number;
  readonly retries: number;
}

/** Options of `runBulk`; every one has a default. */
export interface BulkOptions {
  /** The executor every row goes through. Default: one made for this run with the default options, stopped after it. */
  executor?: Executor;
  /** Rows sent at once. A row waiting between attempts does not hold a slot. Default 5. */
  concurrency?: number;
  /** Aborting it ends the run: rows in flight and waiting fail as `aborted`, rows not sent as `not-started`. */
  signal?: AbortSignal;
  /** Called after every row ends, and when a row starts or starts waiting. */
  onProgress?: (progress: BulkProgress) => void;
  /** Whether a row may be sent twice (retried after a 503 or a network error). Default: the executor's setting. */
  idempotent?: boolean;
  /**
   * What rows do when the circuit opens during the run. `'wait'` (default): the run pauses, rows the circuit turned
   * away wait for it, the half-open trial runs one row, and the run resumes when it closes; rows still waiting after
   * `maxCircuitWaitMs` fail as `circuit-open`. `'fail'`: every row the circuit turns away fails as `circuit-open` at once.
   */
  onCircuitOpen?: 'wait' | 'fail';
  /** With `onCircuitOpen: 'wait'`, how long one pause may last before the waiting rows fail. Default 300 000 ms. */
  maxCircuitWaitMs?: number;
}

/**
 * What `runBulk` resolves with: every row's outcome, the counts, the failed rows for an import screen, and
 * `retryFailed()`.
 */
export interface BulkReport<I, T> {
  readonly total: number;
  /** Rows that succeeded (as `succeeded` in the progress). */
  readonly succeeded: number;
  /** Rows that failed, whatever the reason (`not-started` rows included, so that `retryFailed()` sends them). */
  readonly failed: number;
  /** Attempts beyond the first, over all rows (as `retries` in the progress). */
  readonly retries: number;
  /** True when the run's signal (or the executor's `stop()`) ended it early: some rows are `aborted` or `not-started`. */
  readonly wasAborted: boolean;
  /** @deprecated Use `succeeded` (same value); this name goes in the next major release. */
  readonly successCount: number;
  /** @deprecated Use `failed` (same value); this name goes in the next major release. */
  readonly failedCount: number;
  /** @deprecated Use `retries` (same value); this name goes in the next major release. */
  readonly retryCount: number;
  /** @deprecated Use `wasAborted` (same value); this name goes in the next major release. */
  readonly aborted: boolean;
  /** One entry per item, in item order. */
  readonly results: readonly BulkRowResult<I, T>[];
  /** The failed rows, for an import screen. */
  readonly errors: readonly BulkRowErrors[];
  readonly failedItems: readonly I[];
  readonly failedIndices: readonly number[];
  /**
   * Runs the failed rows again (for example once the circuit has closed) and returns the whole report with their new
   * outcomes; rows that had succeeded are kept as they were.
   */
  retryFailed(options?: BulkOptions): Promise<BulkReport<I, T>>;
}
