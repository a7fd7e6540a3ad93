// The executor's public interface; createExecutor.ts implements it.
import type { ExecutorSettings } from './executorOptionTypes.js';
import type { CircuitView } from './executor/createCircuitView.js';
import type { SyncStats } from './sync/types.js';
import type { CircuitState, ExecuteOptions, ExecutorStats, IsolationHandle, Operation } from './types.js';

/** Sends each call through the circuit and retry machines. Create one with `createExecutor()`. */
export interface Executor {
  /**
   * Runs `operation` under the retry policy and the circuit. Resolves with its value; rejects with
   * `CircuitOpenError` (not tried), `RetriesExhaustedError` (every attempt failed with a retryable error), the
   * operation's own error (not retryable: passed through untouched), or the abort reason. It never throws: every
   * failure, a bad argument included, is a rejection.
   *
   * @throws {@link CircuitOpenError} (as a rejection) when the circuit does not admit the call, or when this call's
   * failure opened it (`tripped: true`, its error as `cause`).
   * @throws {@link RetriesExhaustedError} (as a rejection) when the last allowed attempt failed with a retryable error,
   * the retry budget is spent, or the server asked to wait longer than `maxRetryAfterMs`.
   * @throws {@link TypeError} (as a rejection) when `operation` is not a function or `options` is malformed.
   * @throws the operation's own error, unchanged, when it is not retried; the abort reason when `options.signal`
   * aborts or the executor is stopped.
   */
  execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T>;
  /** The circuit now. The same object is returned until something in it changes. */
  getCircuitState(): CircuitState;
  /**
   * Calls `listener` on every change of the circuit state; returns the function that unsubscribes.
   *
   * @throws {@link TypeError} when `listener` is not a function.
   */
  subscribe(listener: (state: CircuitState) => void): () => void;
  /** Closes the circuit and forgets its failures. An isolation stays until its handles are disposed. */
  resetCircuit(): void;
  /** Holds the circuit open (state `isolated`) until every returned handle is disposed. */
  isolate(): IsolationHandle;
  /**
   * Ends the isolation whatever handles are outstanding (one was lost, for example with the component that held it):
   * the circuit closes, and the handles of that isolation no longer release anything. Nothing happens when not isolated.
   */
  endIsolation(): void;
  /** Aborted when the executor is stopped (with the reason given to `stop()`). */
  readonly signal: AbortSignal;
  /** Counters since creation. */
  getStats(): ExecutorStats;
  /** What `persist` has stored, adopted and ignored; `null` without `persist`. */
  getSyncStats(): SyncStats | null;
  /**
   * A read-only view of the circuit actor (`getSnapshot`, `subscribe`), for `@xstate/react`'s `useSelector`; the
   * Stately inspector sees the actor itself through the `inspect` option. To keep the circuit across reloads and
   * tabs, use the `persist` option rather than its snapshot: a restored snapshot would not re-arm the open timer.
   */
  readonly circuit: CircuitView;
  /** The options the executor runs with, every default filled in (see {@link ExecutorSettings}). */
  readonly options: ExecutorSettings;
  /** Aborts every call the executor runs, stops its actors and clears every timer. Later calls reject. */
  stop(reason?: unknown): void;
}
