import type { InspectionEvent } from 'xstate';

/**
 * A source of time. `setTimeout`/`clearTimeout` drive every delay the executor and its machines wait for,
 * so tests can pass XState's `SimulatedClock` (or use fake timers with the default clock).
 *
 * `TimerId` is whatever the clock's `setTimeout` returns (a Node `Timeout`, a browser's number, a `SimulatedClock`
 * id). The executor only hands it back to the same clock's `clearTimeout` and never looks inside, so it takes any
 * `Clock<TimerId>` where a `Clock` is asked for; name the type when you wrap another clock.
 *
 * @example
 * const simulated = new SimulatedClock()
 * const wrapped: Clock<number> = {
 *   now: () => simulated.now(),
 *   setTimeout: (fn, ms) => simulated.setTimeout(fn, ms),
 *   clearTimeout: (id) => simulated.clearTimeout(id),
 * }
 * const executor = createExecutor({ clock: wrapped })
 */
export interface Clock<TimerId = unknown> {
  /** The time now, in milliseconds (`Date.now()` for the system clock). */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; returns the handle `clearTimeout` takes. */
  setTimeout(fn: () => void, ms: number): TimerId;
  /** Cancels a timer this clock's `setTimeout` returned; a handle already fired or cleared is ignored. */
  clearTimeout(id: TimerId): void;
}

/** The four states of the circuit machine. */
export type CircuitStateName = 'closed' | 'open' | 'halfOpen' | 'isolated';

/** A plain, serialisable view of the circuit, cheap to read and stable in identity until it changes. */
export interface CircuitState {
  readonly state: CircuitStateName;
  /** True while calls are rejected without being tried: `open`, `isolated`, or `halfOpen` with every trial slot taken. */
  readonly isOpen: boolean;
  readonly consecutiveFailures: number;
  /** Clock time of the last failed operation, or `null`. */
  readonly lastFailureTime: number | null;
  /** Clock time the circuit last opened, or `null` while it has never opened since the last close. */
  readonly openedAt: number | null;
  /** Clock time the next half-open trial may start, while `open`; otherwise `null`. */
  readonly nextAttemptAt: number | null;
  /** Trial calls running now (only in `halfOpen`). */
  readonly trialsInFlight: number;
  /** How many times the circuit has opened since it last closed (drives the open-duration backoff). */
  readonly reopenCount: number;
}

/** What an operation receives on each attempt. */
export interface AttemptContext {
  /** Aborted when the caller aborts, the executor stops, or the attempt times out. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
}

/** The work `execute()` runs, once per attempt: sync or async, it receives the attempt's signal and number. */
export type Operation<T> = (context: AttemptContext) => PromiseLike<T> | T;

/** The second argument of `execute(operation, options)`: how this one call is run. */
export interface ExecuteOptions {
  /** Aborting it rejects the call at once with `signal.reason` and makes no further attempt. */
  signal?: AbortSignal;
  /**
   * Marks the call safe to repeat after an ambiguous failure (503, network error).
   * Only idempotent calls are retried on those; 429 is always retried (the server did not process the request).
   */
  idempotent?: boolean;
  /** Passed to the logger with every entry about this call (for example `'contacts.create'`). */
  context?: unknown;
  /** Called when an attempt failed and the call waits `delayMs` before attempt `attempt + 1`. */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Awaited after a retry's back-off, before its attempt (and outside `attemptTimeoutMs`): a bulk run waits there for
   * a free slot. Aborting the call ends the wait; a rejection ends the call with that error, as an abort.
   */
  beforeRetry?: (info: { readonly attempt: number; readonly signal: AbortSignal }) => PromiseLike<void> | void;
}

/** What `onRetry` is told. */
export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
  /** The wait the server asked for, or `null`. */
  readonly retryAfterMs: number | null;
}

/**
 * Counters since the executor was created; read them at any time for a dashboard. Outcomes of calls are past
 * participles (`succeeded`, `failed`, `rejected`, `aborted`); activity is a plural noun (`calls`, `retries`,
 * `rateLimitedAttempts`). Every call ends as exactly one of `succeeded`, `failed`, `rejected` or `aborted`, once it
 * has ended.
 */
export interface ExecutorStats {
  /** `execute()` calls made. */
  readonly calls: number;
  /** Calls that resolved. */
  readonly succeeded: number;
  /** Calls that rejected after being tried (not counting circuit rejections or aborts). */
  readonly failed: number;
  /** Attempts beyond the first. */
  readonly retries: number;
  /** Calls rejected by the circuit without being tried. */
  readonly rejected: number;
  /** Attempts answered with a rate-limit error (429); one call may have several. */
  readonly rateLimitedAttempts: number;
  /** Calls ended by their caller's signal or by `stop()`. */
  readonly aborted: number;
  /** @deprecated Use `succeeded` (same value); this name goes in the next major release. */
  readonly successes: number;
  /** @deprecated Use `failed` (same value); this name goes in the next major release. */
  readonly failures: number;
  /** @deprecated Use `rejected` (same value); this name goes in the next major release. */
  readonly rejections: number;
  /** @deprecated Use `rateLimitedAttempts` (same value); this name goes in the next major release. */
  readonly rateLimited: number;
}

/** How much a log entry matters, as console methods name it. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured log entry; `message` is the familiar human line. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly event:
    | 'retry'
    | 'retries-exhausted'
    | 'circuit-opened'
    | 'circuit-half-open'
    | 'circuit-closed'
    | 'circuit-reset'
    | 'circuit-isolated'
    | 'call-rejected'
    | 'retry-after-too-long'
    | 'fleet-link-down'
    | 'fleet-link-up';
  readonly message: string;
  /** The caller's `context` from `execute(op, { context })`, if any. */
  readonly context?: unknown;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** The `logger` option: receives every structured entry; what it throws is ignored. */
export type Logger = (entry: LogEntry) => void;

export type InspectionObserver = (event: InspectionEvent) => void;

/** A hold on the `isolated` state; the circuit closes when the last handle is disposed. */
export interface IsolationHandle {
  dispose(): void;
  [Symbol.dispose](): void;
}
