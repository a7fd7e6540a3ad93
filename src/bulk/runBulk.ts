import { createExecutor, type Executor } from '../createExecutor.js';
import { describeValue, isAbortSignal } from '../options-shared.js';
import type { AttemptContext } from '../types.js';
import { describeRowError, type RowError } from './describeRowError.js';

/** What a bulk task receives besides its item and index. */
export type BulkTaskContext = AttemptContext;

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

export interface BulkProgress {
  readonly total: number;
  /** Rows finished, succeeded or failed. */
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Rows being sent now. */
  readonly inFlight: number;
  /** Rows between attempts (backing off or waiting out a Retry-After), holding no slot. */
  readonly waiting: number;
  readonly retries: number;
}

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
}

export interface BulkReport<I, T> {
  readonly total: number;
  readonly successCount: number;
  readonly failedCount: number;
  /** Attempts beyond the first, over all rows. */
  readonly retryCount: number;
  /** True when the run's signal ended it early. */
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

/** A row's wait for a slot for its retry: `stopWaiting` ends the wait (set while the row waits). */
interface RowWait {
  stopWaiting?: () => void;
}

const BULK_OPTIONS = new Set(['executor', 'concurrency', 'signal', 'onProgress', 'idempotent']);

function checkOptions(items: unknown, task: unknown, options: BulkOptions): number {
  const fail = (name: string, expected: string, value: unknown, kind: 'type' | 'range' = 'type'): never => {
    const message = `xstate-circuit-breaker: runBulk() option "${name}" must be ${expected}, got ${describeValue(value)}.`;
    throw kind === 'type' ? new TypeError(message) : new RangeError(message);
  };
  if (!Array.isArray(items)) throw new TypeError(`xstate-circuit-breaker: runBulk() items must be an array, got ${describeValue(items)}.`);
  if (typeof task !== 'function') throw new TypeError(`xstate-circuit-breaker: runBulk() task must be a function, got ${describeValue(task)}.`);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: runBulk() options must be an object, got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!BULK_OPTIONS.has(key)) {
      throw new TypeError(`xstate-circuit-breaker: unknown runBulk() option "${key}". Known options: ${[...BULK_OPTIONS].join(', ')}.`);
    }
  }
  const { executor, signal, idempotent, onProgress } = options;
  const concurrency = options.concurrency ?? 5;
  if (typeof concurrency !== 'number') fail('concurrency', 'an integer >= 1', concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail('concurrency', 'an integer >= 1', concurrency, 'range');
  if (
    executor !== undefined &&
    (typeof executor !== 'object' ||
      executor === null ||
      typeof executor.execute !== 'function' ||
      typeof executor.subscribe !== 'function' ||
      typeof executor.getCircuitState !== 'function')
  ) {
    fail('executor', 'an executor from createExecutor()', executor);
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    fail('signal', 'an AbortSignal', signal);
  }
  if (idempotent !== undefined && typeof idempotent !== 'boolean') fail('idempotent', 'a boolean', idempotent);
  if (onProgress !== undefined && typeof onProgress !== 'function') fail('onProgress', 'a function', onProgress);
  return concurrency;
}

/**
 * Runs `task` for every item through the executor, `concurrency` at a time, and reports every row: each item ends
 * exactly once, as succeeded or failed, never lost. Rows waiting to be retried give their slot to other rows.
 *
 * @example
 * const report = await runBulk(rows, (row, _i, { signal }) => insertContact(row, signal), { executor, concurrency: 10 })
 * console.log(report.successCount, report.failedCount, report.errors)
 * if (report.failedCount > 0) await report.retryFailed()
 */
export function runBulk<I, T>(items: readonly I[], task: BulkTask<I, T>, options: BulkOptions = {}): Promise<BulkReport<I, T>> {
  const concurrency = checkOptions(items, task, options);
  const indices = items.map((_, index) => index);
  return run(items, indices, task, options, concurrency).then((results) => buildReport(items, results, task, options));
}

async function run<I, T>(
  items: readonly I[],
  indices: readonly number[],
  task: BulkTask<I, T>,
  options: BulkOptions,
  concurrency: number,
): Promise<Map<number, BulkRowResult<I, T>>> {
  const ownExecutor = options.executor === undefined;
  const executor = options.executor ?? createExecutor();
  const { signal, onProgress, idempotent } = options;
  // Every row's call gets a signal, even without the caller's: a call with a signal ends at once when the executor
  // is stopped, whatever its task does, so a stopped executor cannot leave a row unreported.
  const runController = new AbortController();
  const rowSignal = runController.signal;
  const results = new Map<number, BulkRowResult<I, T>>();
  const total = indices.length;
  let next = 0;
  let busy = 0;
  let inFlight = 0;
  let waiting = 0;
  let succeeded = 0;
  let failed = 0;
  let retries = 0;
  /** Retries waiting for a slot, served before new rows. */
  const slotWaiters: Array<() => void> = [];

  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const progress = (): void => {
    if (onProgress === undefined) return;
    const done = succeeded + failed;
    try {
      onProgress({ total, done, succeeded, failed, inFlight, waiting, retries });
    } catch {
      // A throwing progress callback must not lose rows; the report still carries every outcome.
    }
  };

  const settle = (result: BulkRowResult<I, T>): void => {
    results.set(result.index, result);
    if (result.status === 'succeeded') succeeded++;
    else failed++;
    progress();
    if (succeeded + failed === total) finish();
  };

  const pump = (): void => {
    while (busy < concurrency && slotWaiters.length > 0) {
      busy++;
      slotWaiters.shift()!();
    }
    while (busy < concurrency && next < total && signal?.aborted !== true && !waitingForTrial()) start(indices[next++]!);
  };

  /**
   * While a half-open circuit's trial is running, every new row would be refused at once: hold them until the trial
   * decides (the circuit closes, or opens again and refuses them as usual).
   */
  const waitingForTrial = (): boolean => {
    const state = executor.getCircuitState();
    return state.state === 'halfOpen' && state.isOpen;
  };
  // Deferred: the circuit notifies while it is still handling an event, and starting a row sends it another.
  const unsubscribe = executor.subscribe(() => queueMicrotask(pump));

  /**
   * A slot for a row's retry. The wait ends with the slot, with the attempt's signal, or when the row ends without it
   * (`row.stopWaiting`: its call was ended by a stopped executor, whose abort does not reach the row's own signal);
   * a slot is never handed to a row that has already been reported.
   */
  const acquireSlot = (attemptSignal: AbortSignal, row: RowWait): Promise<void> => {
    if (busy < concurrency && slotWaiters.length === 0) {
      busy++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        attemptSignal.removeEventListener('abort', onAbort);
        row.stopWaiting = undefined;
        resolve();
      };
      const drop = (reason: unknown): void => {
        const at = slotWaiters.indexOf(grant);
        if (at >= 0) slotWaiters.splice(at, 1);
        attemptSignal.removeEventListener('abort', onAbort);
        row.stopWaiting = undefined;
        reject(reason);
      };
      const onAbort = (): void => drop(attemptSignal.reason);
      row.stopWaiting = () => drop(new DOMException('The row ended while its retry waited for a slot.', 'AbortError'));
      slotWaiters.push(grant);
      attemptSignal.addEventListener('abort', onAbort, { once: true });
    });
  };

  const start = (index: number): void => {
    const item = items[index] as I;
    busy++;
    let holding = true;
    let attempts = 0;
    const wait: RowWait = {};
    /** Where the row is, so the progress counters stay exact even when an attempt never settles. */
    let phase: 'starting' | 'sending' | 'waiting' | 'done' = 'starting';
    const enter = (next: typeof phase): void => {
      if (phase === 'sending') inFlight--;
      if (phase === 'waiting') waiting--;
      phase = next;
      if (next === 'sending') inFlight++;
      if (next === 'waiting') waiting++;
    };
    const release = (): void => {
      if (!holding) return;
      holding = false;
      busy--;
      pump();
    };
    const attempt = async (context: AttemptContext): Promise<T> => {
      attempts = context.attempt;
      if (!holding) {
        await acquireSlot(context.signal, wait);
        holding = true;
      }
      if (context.attempt > 1) retries++;
      enter('sending');
      progress();
      return task(item, index, context);
    };
    // The slot is given back when the executor has recorded the attempt's outcome: when the row starts waiting for
    // its retry (onRetry) or when it ends. Giving it back earlier would start the next row before a failure counts.
    const onRetry = (): void => {
      enter('waiting');
      release();
      progress();
    };
    executor.execute(attempt, { signal: rowSignal, idempotent, context: { row: index + 1 }, onRetry }).then(
      (value) => {
        wait.stopWaiting?.();
        enter('done');
        release();
        settle({ index, item, status: 'succeeded', value, attempts });
      },
      (error: unknown) => {
        wait.stopWaiting?.();
        enter('done');
        release();
        const reason: BulkFailureReason = isCircuitOpen(error)
          ? 'circuit-open'
          : signal?.aborted === true
            ? attempts === 0
              ? 'not-started'
              : 'aborted'
            : 'error';
        settle({ index, item, status: 'failed', reason, error, attempts });
      },
    );
  };

  const onAbort = (): void => {
    runController.abort(signal!.reason);
    // Rows never started end here; rows started end through their own executor call, which the signal aborts.
    while (next < total) {
      const index = indices[next++]!;
      settle({ index, item: items[index] as I, status: 'failed', reason: 'not-started', error: signal!.reason, attempts: 0 });
    }
  };

  if (total === 0) finish();
  else if (signal?.aborted) onAbort();
  else {
    signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  }
  try {
    await finished;
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
    if (ownExecutor) executor.stop();
  }
  return results;
}

function isCircuitOpen(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'RATE_LIMIT_CIRCUIT_OPEN';
}

function buildReport<I, T>(
  items: readonly I[],
  byIndex: Map<number, BulkRowResult<I, T>>,
  task: BulkTask<I, T>,
  options: BulkOptions,
): BulkReport<I, T> {
  const results: BulkRowResult<I, T>[] = [];
  const errors: BulkRowErrors[] = [];
  const failedItems: I[] = [];
  const failedIndices: number[] = [];
  let successCount = 0;
  let retryCount = 0;
  let aborted = false;
  for (let index = 0; index < items.length; index++) {
    const result = byIndex.get(index);
    if (result === undefined) {
      // Unreachable by construction; a row is never dropped silently, so say so loudly if it ever happens.
      throw new Error(`xstate-circuit-breaker: runBulk() lost row ${index}. Please report this bug.`);
    }
    results.push(result);
    retryCount += Math.max(0, result.attempts - 1);
    if (result.status === 'succeeded') {
      successCount++;
      continue;
    }
    if (result.reason === 'aborted' || result.reason === 'not-started') aborted = true;
    failedItems.push(result.item);
    failedIndices.push(index);
    errors.push({ row: index + 1, index, errors: describeRowError(result.error, result.reason) });
  }
  const report: BulkReport<I, T> = {
    total: items.length,
    successCount,
    failedCount: failedIndices.length,
    retryCount,
    aborted,
    results,
    errors,
    failedItems,
    failedIndices,
    retryFailed: async (retryOptions = {}) => {
      const merged = { ...options, ...retryOptions };
      const concurrency = checkOptions(items, task, merged);
      const rerun = await run(items, failedIndices, task, merged, concurrency);
      const all = new Map<number, BulkRowResult<I, T>>();
      for (const result of results) all.set(result.index, rerun.get(result.index) ?? result);
      return buildReport(items, all, task, merged);
    },
  };
  return report;
}
