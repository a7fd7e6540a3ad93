import { assign, setup, type SnapshotFrom } from 'xstate';
import type { CircuitPolicy } from '../../../machines/circuitBreaker.machine.js';

/**
 * An abstract model of `circuitBreakerMachine` for `createTestModel`: the same four states, time as explicit events
 * (`OPEN_PARTIAL`, `OPEN_TIMEOUT`) and every data-dependent branch decided on a small bounded context. The model is the
 * oracle: its numbers are written out here, independently of the machine's code.
 *
 * Policy under test: 3 consecutive failures open the circuit; so does a failure rate >= 50 % over the last 4 calls once
 * 4 calls are in the window (so a SUCCESS can open it too); open for 1 s, doubled on each re-open and capped at 3 s;
 * 2 trials in half-open; a half-open period whose trials have not settled 700 ms after the first was admitted starts again.
 */
export const MODEL_POLICY: CircuitPolicy = {
  failureThreshold: 3,
  failureRate: { kind: 'count', size: 4, threshold: 0.5, minimumCalls: 4 },
  openDurationMs: 1_000,
  openBackoffMultiplier: 2,
  maxOpenDurationMs: 3_000,
  halfOpenMaxCalls: 2,
  trialTimeoutMs: 700,
  maxServerWaitMs: 3_000,
};

/** How long a half-open period waits for its trials before it starts again (`TRIAL_TIMEOUT`). */
export const TRIAL_TIMEOUT_MS = 700;

/** The server's Retry-After carried by `FAILURE_RA`: longer than the first open duration, shorter than the cap. */
export const RETRY_AFTER_MS = 1_500;
/**
 * The opening `ADOPT_OPEN` brings in (from storage or another tab): 2 s long, begun 500 ms before it arrives, after one
 * re-open. `ADOPT_OPEN_ELAPSED` brings in the same opening once its period is over.
 */
export const ADOPTED_DURATION_MS = 2_000;
export const ADOPTED_ELAPSED_MS = 500;
export const ADOPTED_REOPENS = 1;
/** How long before its arrival the opening `ADOPT_OPEN_ELAPSED` carries began (more than its duration). */
export const ADOPTED_LONG_AGO_MS = 5_000;
/** The Retry-After carried by a stale (late) FAILURE: it would show at once if a late failure were counted. */
export const STALE_RETRY_AFTER_MS = 99_000;

export interface CircuitModelContext {
  /** Closed: the last (<= 4) outcomes in the count window, oldest first: `F` failed, `S` succeeded. */
  outcomes: string;
  /** A failure carrying Retry-After (`FAILURE_RA`) was recorded since the last success or half-opening. */
  ra: boolean;
  /** Re-opens after a failed trial since the circuit last closed, saturating at 2 (the cap is reached there). */
  reopens: number;
  /** Open: half of the open duration has already elapsed. */
  half: boolean;
  /** Half-open: trials in flight. */
  trials: number;
  /** Isolated: outstanding isolation holds (the model stops at 2). */
  holds: number;
  /** Open: the open period is one adopted by `ADOPT_OPEN` (its length and elapsed time are the adopted ones). */
  adopted: boolean;
}

export type CircuitModelEvent =
  /** Operation results carrying the current epoch. */
  | { type: 'SUCCESS' }
  | { type: 'FAILURE' }
  | { type: 'FAILURE_RA' }
  | { type: 'IGNORED' }
  /** The same results from a call admitted in an earlier epoch (a late result). */
  | { type: 'SUCCESS_STALE' }
  | { type: 'FAILURE_STALE' }
  | { type: 'IGNORED_STALE' }
  | { type: 'TRY_ACQUIRE' }
  /** A retry of a call admitted in the current epoch asks again (in half-open: a trial's retry). */
  | { type: 'TRY_ACQUIRE_RETRY' }
  | { type: 'RESET' }
  | { type: 'ISOLATE' }
  | { type: 'RELEASE' }
  /** Ends an isolation whatever holds are outstanding. */
  | { type: 'END_ISOLATION' }
  /** Time: a half-open period's trial timeout passes. */
  | { type: 'TRIAL_TIMEOUT' }
  /** Time: half of the open duration passes. */
  | { type: 'OPEN_PARTIAL' }
  /** Time: the rest of the open duration passes. */
  | { type: 'OPEN_TIMEOUT' }
  /** An opening observed elsewhere whose period is still running / already over; a close observed elsewhere. */
  | { type: 'ADOPT_OPEN' }
  | { type: 'ADOPT_OPEN_ELAPSED' }
  | { type: 'ADOPT_CLOSED' };

export type CircuitModelEventType = CircuitModelEvent['type'];

const WINDOW_SIZE = 4;
const RATE_THRESHOLD = 0.5;
const MINIMUM_CALLS = 4;
const HALF_OPEN_MAX_CALLS = 2;
const MAX_HOLDS = 2;
const REOPENS_SATURATE_AT = 2;

export function pushOutcome(outcomes: string, outcome: 'F' | 'S'): string {
  return (outcomes + outcome).slice(-WINDOW_SIZE);
}

export function trailingFailures(outcomes: string): number {
  let n = 0;
  for (let i = outcomes.length - 1; i >= 0 && outcomes[i] === 'F'; i--) n++;
  return n;
}

function rateExceeded(outcomes: string): boolean {
  if (outcomes.length < MINIMUM_CALLS) return false;
  const failed = [...outcomes].filter((o) => o === 'F').length;
  return failed / outcomes.length >= RATE_THRESHOLD;
}

function failureOpens(outcomes: string): boolean {
  return trailingFailures(outcomes) + 1 >= 3 || rateExceeded(pushOutcome(outcomes, 'F'));
}

/** 1 s doubled per re-open, capped at 3 s, never below the server's Retry-After. */
export function expectedOpenDurationMs(context: CircuitModelContext): number {
  if (context.adopted) return ADOPTED_DURATION_MS;
  const grown = [1_000, 2_000, 3_000][context.reopens] ?? 3_000;
  return Math.max(grown, context.ra ? RETRY_AFTER_MS : 0);
}

/** The time already spent in `open` by `OPEN_PARTIAL`. */
export function elapsedOpenMs(context: CircuitModelContext): number {
  const before = context.adopted ? ADOPTED_ELAPSED_MS : 0;
  return before + (context.half ? Math.floor(expectedOpenDurationMs(context) / 2) : 0);
}

const fresh: CircuitModelContext = { outcomes: '', ra: false, reopens: 0, half: false, trials: 0, holds: 0, adopted: false };

/** The no-op transitions need an action: `snapshot.can()` (used to filter events) rejects empty transitions. */
const unchanged = { actions: 'unchanged' } as const;

export const circuitBreakerModel = setup({
  types: {
    context: {} as CircuitModelContext,
    events: {} as CircuitModelEvent,
  },
  actions: {
    unchanged: () => {},
    toClosed: assign(() => fresh),
    toIsolated: assign(() => ({ ...fresh, holds: 1 })),
    recordSuccess: assign({ outcomes: ({ context }) => pushOutcome(context.outcomes, 'S'), ra: false }),
    clearRetryAfter: assign({ ra: false }),
    recordFailure: assign({ outcomes: ({ context }) => pushOutcome(context.outcomes, 'F') }),
    recordRetryAfter: assign({ ra: true }),
    openFromClosed: assign(({ context }) => ({ ...fresh, ra: context.ra })),
    reopen: assign(({ context }) => ({
      ...fresh,
      ra: context.ra,
      reopens: Math.min(REOPENS_SATURATE_AT, context.reopens + 1),
    })),
    halfElapsed: assign({ half: true }),
    // The waits that opened the circuit have been served: a re-open honours only the failed trial's own Retry-After.
    toHalfOpen: assign({ half: false, trials: 0, ra: false }),
    acquire: assign({ trials: ({ context }) => context.trials + 1 }),
    release: assign({ trials: ({ context }) => Math.max(0, context.trials - 1) }),
    adoptOpen: assign(() => ({ ...fresh, reopens: ADOPTED_REOPENS, adopted: true })),
    adoptElapsed: assign(() => ({ ...fresh, reopens: ADOPTED_REOPENS })),
    hold: assign({ holds: ({ context }) => context.holds + 1 }),
    releaseHold: assign({ holds: ({ context }) => context.holds - 1 }),
  },
  guards: {
    successOpens: ({ context }) => rateExceeded(pushOutcome(context.outcomes, 'S')),
    failureOpens: ({ context }) => failureOpens(context.outcomes),
    notHalfElapsed: ({ context }) => !context.half,
    slotFree: ({ context }) => context.trials < HALF_OPEN_MAX_CALLS,
    trialRunning: ({ context }) => context.trials > 0,
    belowHoldBound: ({ context }) => context.holds < MAX_HOLDS,
    lastHold: ({ context }) => context.holds <= 1,
  },
}).createMachine({
  id: 'circuitBreakerModel',
  context: fresh,
  initial: 'closed',
  states: {
    closed: {
      on: {
        SUCCESS: [
          { guard: 'successOpens', target: 'open', actions: ['clearRetryAfter', 'openFromClosed'] },
          { actions: 'recordSuccess' },
        ],
        FAILURE: [
          { guard: 'failureOpens', target: 'open', actions: 'openFromClosed' },
          { actions: 'recordFailure' },
        ],
        FAILURE_RA: [
          { guard: 'failureOpens', target: 'open', actions: ['recordRetryAfter', 'openFromClosed'] },
          { actions: ['recordFailure', 'recordRetryAfter'] },
        ],
        RESET: { target: 'closed', reenter: true, actions: 'toClosed' },
        ISOLATE: { target: 'isolated', actions: 'toIsolated' },
        SUCCESS_STALE: unchanged,
        FAILURE_STALE: unchanged,
        IGNORED: unchanged,
        IGNORED_STALE: unchanged,
        TRY_ACQUIRE: unchanged,
        TRY_ACQUIRE_RETRY: unchanged,
        RELEASE: unchanged,
        END_ISOLATION: unchanged,
        ADOPT_OPEN: { target: 'open', actions: 'adoptOpen' },
        ADOPT_OPEN_ELAPSED: { target: 'halfOpen', actions: 'adoptElapsed' },
        ADOPT_CLOSED: unchanged,
      },
    },
    open: {
      on: {
        OPEN_PARTIAL: { guard: 'notHalfElapsed', actions: 'halfElapsed' },
        OPEN_TIMEOUT: { target: 'halfOpen', actions: 'toHalfOpen' },
        RESET: { target: 'closed', actions: 'toClosed' },
        ISOLATE: { target: 'isolated', actions: 'toIsolated' },
        // Nothing reaches an open circuit: not even a result stamped with the open epoch.
        SUCCESS: unchanged,
        FAILURE: unchanged,
        IGNORED: unchanged,
        SUCCESS_STALE: unchanged,
        FAILURE_STALE: unchanged,
        IGNORED_STALE: unchanged,
        TRY_ACQUIRE: unchanged,
        TRY_ACQUIRE_RETRY: unchanged,
        RELEASE: unchanged,
        END_ISOLATION: unchanged,
        // A newer opening replaces this one: the timer is re-armed with what is left of the adopted period.
        ADOPT_OPEN: { target: 'open', reenter: true, actions: 'adoptOpen' },
        ADOPT_OPEN_ELAPSED: { target: 'halfOpen', actions: 'adoptElapsed' },
        ADOPT_CLOSED: { target: 'closed', actions: 'toClosed' },
      },
    },
    halfOpen: {
      on: {
        TRY_ACQUIRE: [{ guard: 'slotFree', actions: 'acquire' }, unchanged],
        // Only a trial's call can be a retry from this period; it keeps its slot.
        TRY_ACQUIRE_RETRY: { guard: 'trialRunning', actions: 'unchanged' },
        SUCCESS: { target: 'closed', actions: 'toClosed' },
        FAILURE: { target: 'open', actions: 'reopen' },
        FAILURE_RA: { target: 'open', actions: ['recordRetryAfter', 'reopen'] },
        IGNORED: { actions: 'release' },
        RESET: { target: 'closed', actions: 'toClosed' },
        ISOLATE: { target: 'isolated', actions: 'toIsolated' },
        SUCCESS_STALE: unchanged,
        FAILURE_STALE: unchanged,
        IGNORED_STALE: unchanged,
        RELEASE: unchanged,
        END_ISOLATION: unchanged,
        // Trials that have not settled no longer hold the circuit: a new period with free slots.
        // The clock starts at the period's first admission, so only a period with a trial running can time out.
        TRIAL_TIMEOUT: [{ guard: 'trialRunning', target: 'halfOpen', reenter: true, actions: 'toHalfOpen' }, unchanged],
        ADOPT_OPEN: { target: 'open', actions: 'adoptOpen' },
        // Already past that opening: nothing to do.
        ADOPT_OPEN_ELAPSED: unchanged,
        ADOPT_CLOSED: { target: 'closed', actions: 'toClosed' },
      },
    },
    isolated: {
      on: {
        ISOLATE: { guard: 'belowHoldBound', actions: 'hold' },
        RELEASE: [{ guard: 'lastHold', target: 'closed', actions: 'toClosed' }, { actions: 'releaseHold' }],
        END_ISOLATION: { target: 'closed', actions: 'toClosed' },
        // Held open by hand: results, trials and even RESET change nothing until the last hold is released.
        SUCCESS: unchanged,
        FAILURE: unchanged,
        IGNORED: unchanged,
        SUCCESS_STALE: unchanged,
        FAILURE_STALE: unchanged,
        IGNORED_STALE: unchanged,
        TRY_ACQUIRE: unchanged,
        TRY_ACQUIRE_RETRY: unchanged,
        RESET: unchanged,
        ADOPT_OPEN: unchanged,
        ADOPT_OPEN_ELAPSED: unchanged,
        ADOPT_CLOSED: unchanged,
      },
    },
  },
});

export type CircuitModelSnapshot = SnapshotFrom<typeof circuitBreakerModel>;
export type CircuitModelState = 'closed' | 'open' | 'halfOpen' | 'isolated';
