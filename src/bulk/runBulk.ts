import { createSystemClock } from '../clock.js';
import { createExecutor } from '../createExecutor.js';
import { CircuitOpenError } from '../errors/CircuitOpenError.js';
import { isAbortSignal } from '../options-shared.js';
import type { AttemptContext, Clock } from '../types.js';
import { buildReport } from './buildReport.js';
import type { BulkFailureReason, BulkOptions, BulkReport, BulkRowResult, BulkTask } from './bulkTypes.js';
import { checkOptions } from './checkBulkOptions.js';
import { isAbortLike, isCircuitOpen, retryAfterOf } from './rowErrorFacts.js';

export type { BulkTaskContext, BulkTask, BulkFailureReason, BulkRowResult, BulkRowErrors, BulkProgress, BulkOptions, BulkReport } from './bulkTypes.js';

/**
 * Runs `task` for every item through the executor, `concurrency` at a time, and reports every row: each item ends
 * exactly once, as succeeded or failed, never lost. Rows waiting to be retried give their slot to other rows.
 *
 * @throws {@link TypeError} at once (not as a rejection) when `items` is not an array, `task` not a function, or an
 * option has the wrong type or an unknown name.
 * @throws {@link RangeError} at once when an option is out of range (`concurrency` below 1, for example). A row's
 * failure never throws: it is in the report.
 * @example
 * const report = await runBulk(rows, (row, _i, { signal }) => insertContact(row, signal), { executor, concurrency: 10 })
 * console.log(report.succeeded, report.failed, report.errors)
 * if (report.failed > 0) await report.retryFailed()
 */
export function runBulk<I, T>(items: readonly I[], task: BulkTask<I, T>, options: BulkOptions = {}): Promise<BulkReport<I, T>> {
  const concurrency = checkOptions(items, task, options);
  // Every index, holes of a sparse array included: a hole is a row too (its item is undefined), never a lost one.
  const indices = Array.from({ length: items.length }, (_, index) => index);
  return run(items, indices, task, options, concurrency).then((results) => buildReport(items, results, task, options, rerunRows));
}

/** Runs the given rows again (a report's `retryFailed()`), with the options checked as for a first run. */
function rerunRows<I, T>(items: readonly I[], indices: readonly number[], task: BulkTask<I, T>, options: BulkOptions): Promise<Map<number, BulkRowResult<I, T>>> {
  return run(items, indices, task, options, checkOptions(items, task, options));
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
  const waitOnOpen = (options.onCircuitOpen ?? 'wait') === 'wait';
  const maxCircuitWaitMs = options.maxCircuitWaitMs ?? 300_000;
  const clock: Clock = (executor as { options?: { clock?: Clock } }).options?.clock ?? createSystemClock();
  /** Aborted when the executor is stopped (executors from createExecutor have it). */
  const executorSignal = (executor as { signal?: unknown }).signal;
  const stopSignal = isAbortSignal(executorSignal) ? executorSignal : undefined;
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
  let notStarted = 0;
  let retries = 0;
  /**
   * Retries waiting for a slot, served before new rows. They all wait on the run's one signal, so one abort listener
   * refuses them all: a listener per waiting row would trip Node's MaxListenersExceededWarning past ten.
   */
  const slotWaiters: Array<{ readonly grant: () => void; readonly refuse: (reason: unknown) => void }> = [];
  const refuseWaiters = (): void => {
    for (const waiter of slotWaiters.splice(0)) waiter.refuse(rowSignal.reason);
  };
  rowSignal.addEventListener('abort', refuseWaiters, { once: true });
  /** Rows the circuit turned away while it was open, waiting (with `'wait'`) to be sent again, first in first out. */
  const turnedAway: number[] = [];
  /** Attempts already made by rows that were turned away, so a row's report counts all of them. */
  const attemptsSoFar = new Map<number, number>();
  /** Set when the circuit turned a row away: nothing more is sent until the circuit changes or the wake-up timer. */
  let blocked = false;
  let wakeTimer: unknown;
  /** When the current pause began, and the timer that fails the waiting rows when it has lasted too long. */
  let pausedAt: number | null = null;
  let pauseTimer: unknown;
  /** The current pause lasted too long: rows the circuit turns away now fail, until it closes. */
  let gaveUp = false;

  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const circuitView = (): { paused: boolean; nextTrialAt: number | null } => {
    if (pausedAt === null) return { paused: false, nextTrialAt: null };
    const state = executor.getCircuitState();
    return { paused: true, nextTrialAt: state.nextAttemptAt };
  };

  const progress = (): void => {
    if (onProgress === undefined) return;
    const done = succeeded + failed;
    try {
      onProgress({ total, done, succeeded, failed, notStarted, inFlight, waiting, retries, ...circuitView() });
    } catch {
      // A throwing progress callback must not lose rows; the report still carries every outcome.
    }
  };

  const stopTimers = (): void => {
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
    if (pauseTimer !== undefined) clock.clearTimeout(pauseTimer);
    wakeTimer = undefined;
    pauseTimer = undefined;
  };

  const settle = (result: BulkRowResult<I, T>): void => {
    results.set(result.index, result);
    if (result.status === 'succeeded') succeeded++;
    else if (result.reason === 'not-started') notStarted++;
    else failed++;
    progress();
    if (succeeded + failed + notStarted === total) {
      stopTimers();
      finish();
    }
  };

  const ended = (): boolean => signal?.aborted === true || stopSignal?.aborted === true;

  /** Ends the pause: the circuit closed (or the run ended). */
  const resume = (): void => {
    gaveUp = false;
    if (pausedAt === null) return;
    pausedAt = null;
    if (pauseTimer !== undefined) clock.clearTimeout(pauseTimer);
    pauseTimer = undefined;
    progress();
  };

  /** The pause lasted `maxCircuitWaitMs`: rows waiting for the circuit, and rows not sent yet, fail as circuit-open. */
  const giveUpWaiting = (): void => {
    pauseTimer = undefined;
    gaveUp = true;
    const error = new CircuitOpenError({ retryAfterMs: executor.getCircuitState().nextAttemptAt, state: 'open' });
    while (turnedAway.length > 0) {
      const index = turnedAway.shift()!;
      settle({ index, item: items[index] as I, status: 'failed', reason: 'circuit-open', error: lastRejection.get(index) ?? error, attempts: attemptsSoFar.get(index) ?? 0 });
    }
    while (next < total) {
      const index = indices[next++]!;
      settle({ index, item: items[index] as I, status: 'failed', reason: 'circuit-open', error, attempts: 0 });
    }
  };
  /** The CircuitOpenError each waiting row last got, for its report if the wait runs out. */
  const lastRejection = new Map<number, unknown>();

  const pause = (): void => {
    if (pausedAt !== null) return;
    pausedAt = clock.now();
    pauseTimer = clock.setTimeout(giveUpWaiting, maxCircuitWaitMs);
    progress();
  };

  const pump = (): void => {
    while (busy < concurrency && slotWaiters.length > 0) {
      busy++;
      slotWaiters.shift()!.grant();
    }
    if (ended()) {
      // A stopped executor or an aborted run: what was never sent is reported as such, at once.
      if (stopSignal?.aborted === true) {
        while (turnedAway.length > 0) start(turnedAway.shift()!);
        while (next < total) start(indices[next++]!);
      }
      return;
    }
    while (busy < concurrency && !blocked && !waitingForTrial()) {
      if (turnedAway.length > 0) start(turnedAway.shift()!);
      else if (next < total) start(indices[next++]!);
      else break;
    }
  };

  /**
   * While the circuit does not admit calls (or a half-open circuit's trial is running), every new row would be refused
   * at once: hold them until the circuit decides.
   */
  const waitingForTrial = (): boolean => {
    if (stopSignal?.aborted === true) return false;
    const state = executor.getCircuitState();
    if (state.state === 'halfOpen') return state.isOpen;
    return waitOnOpen && state.isOpen;
  };
  // Deferred: the circuit notifies while it is still handling an event, and starting a row sends it another.
  const unsubscribe = executor.subscribe((state) =>
    queueMicrotask(() => {
      if (state.state === 'closed') resume();
      blocked = false;
      pump();
    }),
  );
  // A stopped executor ends every row: the rows' own signal is aborted too, so that a retry waiting for a slot stops
  // waiting, and rows never sent are reported as such.
  const onStop = (): void => {
    runController.abort(stopSignal?.reason);
    queueMicrotask(pump);
  };
  stopSignal?.addEventListener('abort', onStop, { once: true });

  /** After a row was turned away, look again when the circuit says its next trial is due (or in a second). */
  const wakeLater = (retryAfterMs: number | null): void => {
    if (wakeTimer !== undefined) clock.clearTimeout(wakeTimer);
    wakeTimer = clock.setTimeout(
      () => {
        wakeTimer = undefined;
        blocked = false;
        pump();
      },
      Math.max(1, Math.min(retryAfterMs ?? 1000, 1000)),
    );
  };

  /** A slot for a row's retry: the wait ends with the slot, or when the run stops (the row is then aborted). */
  const acquireSlot = (): Promise<void> => {
    if (rowSignal.aborted) return Promise.reject(rowSignal.reason);
    if (busy < concurrency && slotWaiters.length === 0) {
      busy++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => slotWaiters.push({ grant: resolve, refuse: reject }));
  };

  const start = (index: number): void => {
    const item = items[index] as I;
    busy++;
    let holding = true;
    const earlier = attemptsSoFar.get(index) ?? 0;
    let attempts = earlier;
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
    const attempt = (context: AttemptContext): PromiseLike<T> | T => {
      attempts = earlier + context.attempt;
      if (attempts > 1) retries++;
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
    // The retry takes a slot again before its attempt starts, outside the attempt's timeout.
    // (Its signal is the run's: every row is executed with `rowSignal`.)
    const beforeRetry = async (): Promise<void> => {
      await acquireSlot();
      holding = true;
    };
    executor.execute(attempt, { signal: rowSignal, idempotent, context: { row: index + 1 }, onRetry, beforeRetry }).then(
      (value) => {
        enter('done');
        release();
        attemptsSoFar.delete(index);
        lastRejection.delete(index);
        settle({ index, item, status: 'succeeded', value, attempts });
      },
      (error: unknown) => {
        enter('done');
        const openCircuit = isCircuitOpen(error);
        if (openCircuit && waitOnOpen && !ended() && !gaveUp) {
          // The circuit turned the row away: it waits for the circuit, not reported yet.
          attemptsSoFar.set(index, attempts);
          lastRejection.set(index, error);
          turnedAway.push(index);
          blocked = true;
          pause();
          wakeLater(retryAfterOf(error));
          release();
          progress();
          return;
        }
        release();
        attemptsSoFar.delete(index);
        lastRejection.delete(index);
        const reason: BulkFailureReason = openCircuit
          ? 'circuit-open'
          : ended() && isAbortLike(error, signal, stopSignal)
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
    stopTimers();
    // Rows never started (or waiting for the circuit) end here; rows started end through their own executor call,
    // which the signal aborts.
    while (turnedAway.length > 0) {
      const index = turnedAway.shift()!;
      settle({ index, item: items[index] as I, status: 'failed', reason: 'aborted', error: signal!.reason, attempts: attemptsSoFar.get(index) ?? 0 });
    }
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
    stopTimers();
    unsubscribe();
    signal?.removeEventListener('abort', onAbort);
    stopSignal?.removeEventListener('abort', onStop);
    rowSignal.removeEventListener('abort', refuseWaiters);
    if (ownExecutor) executor.stop();
  }
  return results;
}
