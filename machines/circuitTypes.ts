// What the circuit machine remembers, is told and tells: its context, events and input. circuitBreaker.machine.ts
// re-exports them.
import type { CircuitPolicy, Outcome } from './circuitPolicy.js';

/** What the circuit machine remembers: its policy, the counts and times it decides on, and the epoch of its state. */
export interface CircuitContext {
  policy: CircuitPolicy;
  /**
   * Bumped on every state entry. A result carries the epoch its call was admitted in; a result from an older epoch
   * (a call started before the circuit opened, or before it half-opened) changes nothing.
   */
  epoch: number;
  consecutiveFailures: number;
  lastFailureTime: number | null;
  openedAt: number | null;
  /**
   * How long the circuit stays open since `openedAt`: what the `openDuration` delay gave when it opened (so with the
   * delay `.provide()`d, the delay the timer really runs), or the adopted period.
   */
  openDurationMs: number;
  /** Re-opens since the circuit last closed. */
  reopenCount: number;
  /** The longest wait the server asked for in the failures since the last success (or since half-opening). */
  serverRetryAfterMs: number | null;
  trialsInFlight: number;
  /** Outstanding `isolate()` handles. */
  isolationHolds: number;
  /** Whether the last failed operation was a rate limit (429) rather than an outage (5xx, network, timeout). */
  lastFailureRateLimited: boolean;
  /** Why the circuit last opened: its failures were rate limits, or the server was not answering. */
  openReason: 'rate-limited' | 'unavailable';
  /** Which rule last opened it: the consecutive failures, the failure rate, a failed trial, or an opening adopted. */
  openCause: OpenCause;
  outcomes: readonly Outcome[];
}

/** Which rule opened the circuit, as recorded by the transition that opened it (for log lines and the UI). */
export type OpenCause = 'consecutive-failures' | 'failure-rate' | 'trial-failed' | 'adopted';

/**
 * What the circuit tells its interpreter as it decides: `admitted` answers a `TRY_ACQUIRE` that the circuit granted
 * (with the epoch the call runs in); a request it turns away gets no answer.
 */
export type CircuitEmitted = { type: 'admitted'; epoch: number };

/**
 * What the circuit machine is told: outcomes of calls (with the epoch they were admitted in), trials, holds and
 * adoptions.
 */
export type CircuitEvent =
  | { type: 'SUCCESS'; at: number; epoch: number }
  /** `rateLimited`: the operation failed on a rate limit (429) rather than an outage; default false. */
  | { type: 'FAILURE'; at: number; epoch: number; retryAfterMs: number | null; rateLimited?: boolean }
  /** An operation ended without saying anything about the server's health (aborted, or a 4xx that is not a failure). */
  | { type: 'IGNORED'; epoch: number }
  /**
   * A call asks to run. Admitted (the machine emits `admitted`) or not (nothing is emitted); `epoch` is given by a retry
   * of a call admitted in that epoch: a half-open trial's retry keeps its slot.
   */
  | { type: 'TRY_ACQUIRE'; epoch?: number }
  /** Raised by the machine itself, `trialTimeout` after the first trial of a half-open period was admitted. */
  | { type: 'TRIAL_TIMEOUT'; epoch: number }
  | { type: 'RESET' }
  | { type: 'ISOLATE'; at: number }
  | { type: 'RELEASE' }
  /** Ends the isolation whatever handles are outstanding (a handle was lost, for example with its component). */
  | { type: 'END_ISOLATION' }
  /**
   * An opening observed elsewhere: read back from storage after a reload, or announced by another tab. The circuit
   * opens for what is left of that period (the timer is re-armed with the time remaining), or half-opens at once when
   * the period is already over. `reopenCount` carries the backoff over.
   */
  | { type: 'ADOPT_OPEN'; at: number; openedAt: number; openDurationMs: number; reopenCount: number }
  /** A close observed elsewhere (another tab's trial succeeded, or it was reset). */
  | { type: 'ADOPT_CLOSED' };

/** `createActor(circuitBreakerMachine, { input })`: a policy, merged over `defaultCircuitPolicy`. */
export interface CircuitInput {
  policy?: Partial<CircuitPolicy>;
}
