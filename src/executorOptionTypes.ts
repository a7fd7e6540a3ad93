import type { InspectionEvent, Observer } from 'xstate';
import type { CircuitPolicy, FailureRateWindow } from '../machines/circuitBreaker.machine.js';
import type { JitterStrategy, RetryPolicy } from '../machines/retry.machine.js';
import type { ErrorClassification } from './classify/classifyError.js';
import type { ExecutorMachines } from './executor/resolveMachines.js';
import type { Pacer } from './pacing/createPacer.js';
import type { RetryBudget, RetryBudgetOptions } from './pacing/createRetryBudget.js';
import type { CircuitPersistence } from './sync/CircuitPersistence.js';
import type { PersistSettings } from './sync/resolvePersistOptions.js';
import type { Clock, Logger } from './types.js';

// The types of createExecutor's options, given and resolved; src/options.ts checks them and fills in the defaults.

/** What a `shouldRetry` / `isFailure` predicate is told about the error besides the error itself. */
export interface ErrorDecisionInfo {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly idempotent: boolean;
  /** What the default policy decided. */
  readonly classification: ErrorClassification;
}

/** Every option of `createExecutor`; each has a default. */
export interface ExecutorOptions {
  /** Retries after the first attempt. Default 3 (4 attempts). */
  maxRetries?: number;
  /** First back-off step. Default 100 ms. */
  initialDelayMs?: number;
  /** Cap of a back-off step. Default 10 000 ms. */
  maxDelayMs?: number;
  /** Growth of the back-off per retry. Default 2. */
  backoffMultiplier?: number;
  /** Default `'proportional'` (±`jitterFactor`). */
  jitter?: JitterStrategy;
  /** Default 0.2. */
  jitterFactor?: number;
  /** Never retry before the server's Retry-After. Default true. */
  respectRetryAfter?: boolean;
  /** Give up at once when the server asks to wait longer than this. Default 120 000 ms. */
  maxRetryAfterMs?: number;
  /**
   * Retries of a 429 while the server goes on accepting other requests (rate limiting, not down): they wait for the
   * Retry-After and the pacer's next slot and count neither against `maxRetries` nor the retry budget. Default 20;
   * 0 makes every 429 count against `maxRetries`, as a plain retry loop does.
   */
  rateLimitRetries?: number;
  /** Consecutive failed operations that open the circuit; 0 turns the rule off. Default 5. */
  failureThreshold?: number;
  /** Optional failure-rate rule. Default none. */
  failureRate?: FailureRateWindow | null;
  /** Default 60 000 ms. */
  openDurationMs?: number;
  /** Growth of the open duration on each re-open after a failed trial. Default 1 (constant). */
  openBackoffMultiplier?: number;
  /** Default 600 000 ms. */
  maxOpenDurationMs?: number;
  /** Trial calls admitted while half-open. Default 1. */
  halfOpenMaxCalls?: number;
  /** A half-open trial still unsettled after this long no longer blocks: a new trial is admitted. Default: `openDurationMs`. */
  trialTimeoutMs?: number | null;
  /** Abort an attempt that takes longer than this (it then counts as a timeout). Default none. */
  attemptTimeoutMs?: number | null;
  /** Whether calls are idempotent unless `execute(op, { idempotent })` says otherwise. Default false. */
  idempotent?: boolean;
  /** Overrides the decision to retry an error. */
  shouldRetry?: (error: unknown, info: ErrorDecisionInfo) => boolean;
  /** Overrides whether a finally failed operation counts against the circuit. */
  isFailure?: (error: unknown, info: ErrorDecisionInfo) => boolean;
  /** Time source for every delay; XState's `SimulatedClock` fits. Default: the system clock. */
  clock?: Clock;
  /** Draws in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** Passed to every actor the executor creates (for example the Stately inspector's `inspector.inspect`). */
  inspect?: ((event: InspectionEvent) => void) | Observer<InspectionEvent>;
  /** Receives structured log entries. Default: silent. */
  logger?: Logger;
  /**
   * Client-side pacing to the server's limit. Default: a pacer of this executor's own (it learns from rate-limit
   * headers and 429s), which holds calls for at most `maxRetryAfterMs` when the server says its quota is used up.
   * Pass one from `createPacer()` to share it between executors (give it a `maxWaitMs` no longer than
   * `maxRetryAfterMs`: a call the pacer would hold longer is refused at once), or `false` to send unpaced.
   */
  pacer?: Pacer | false;
  /**
   * Bounds retries to a share of calls (default `{ ratio: 0.2, burst: 10 }`); retries the server scheduled with
   * Retry-After are not counted. Pass a `createRetryBudget()` to share one, or `false` for none.
   */
  retryBudget?: RetryBudget | RetryBudgetOptions | false;
  /**
   * Keeps the circuit across reloads and, optionally, in step between the tabs of an origin:
   * `persist: persistCircuit({ name: 'api', shareAcrossTabs: true })`, with `persistCircuit` from
   * `xstate-circuit-breaker/persist` (apps that do not import it do not bundle the sync code). Default: off.
   */
  persist?: CircuitPersistence | false;
  /**
   * The machines to run, to change a rule without forking: ours derived with `.provide({ guards, delays, actions })`,
   * for example `circuitBreakerMachine.provide({ delays: { openDuration: … } })` for open periods from your own table.
   * Default: `circuitBreakerMachine` and `retryMachine` as they are.
   */
  machines?: ExecutorMachines;
}

/**
 * The options an executor runs with, every default filled in: what `executor.options` shows. Read it to learn what
 * the executor will do (`executor.options.retry.maxRetries`), to drive a countdown from its clock
 * (`useCountdown(at, executor.options.clock)`) or to give a second executor the same pacer and retry budget.
 * The names of the retry and circuit policies are the machines' (`RetryPolicy`, `CircuitPolicy`): `multiplier` is
 * the option `backoffMultiplier`.
 */
export interface ExecutorSettings {
  /** What the retry machine runs with: `maxRetries`, the back-off, the jitter and the Retry-After rules. */
  readonly retry: Readonly<RetryPolicy>;
  /** What the circuit machine runs with: when it opens, for how long, and how many trials it admits. */
  readonly circuit: Readonly<CircuitPolicy>;
  /** An attempt running longer than this is aborted with `AttemptTimeoutError`; `null` for no limit. */
  readonly attemptTimeoutMs: number | null;
  /** Whether a call is idempotent unless `execute(op, { idempotent })` says otherwise. */
  readonly idempotent: boolean;
  /** The `shouldRetry` option, if one was given. */
  readonly shouldRetry: ExecutorOptions['shouldRetry'];
  /** The `isFailure` option, if one was given. */
  readonly isFailure: ExecutorOptions['isFailure'];
  /** The time source of every delay: the option `clock`, or the system clock. */
  readonly clock: Clock;
  /** The draws for the jitter: the option `random`, or `Math.random`. */
  readonly random: () => number;
  /** The `inspect` option, if one was given. */
  readonly inspect: ExecutorOptions['inspect'];
  /** The `logger` option, if one was given. */
  readonly logger: Logger | undefined;
  /** The pacer calls wait for (the executor's own unless one was passed); `undefined` with `pacer: false`. */
  readonly pacer: Pacer | undefined;
  /** The retry budget retries spend (the executor's own unless one was passed); `undefined` with `retryBudget: false`. */
  readonly retryBudget: RetryBudget | undefined;
  /** Where the circuit is kept and shared, with the platform's storage, channel and locks filled in; `undefined` without `persist`. */
  readonly persist: PersistSettings | undefined;
  /** The machines the executor runs: ours, or what the `machines` option derived from them with `.provide()`. */
  readonly machines: Readonly<Required<ExecutorMachines>>;
}

/** The resolved options inside the package (the executor reads the same object it shows as `executor.options`). */
export type ResolvedOptions = ExecutorSettings;
