import { assign, cancel, raise, setup } from 'xstate';

/**
 * Optional failure-rate rule (the resilience4j/Polly model), checked next to the consecutive-failure threshold.
 * `count` looks at the last `size` completed operations; `time` at those that ended within the last `windowMs`.
 */
export type FailureRateWindow =
  | { kind: 'count'; size: number; threshold: number; minimumCalls: number }
  | { kind: 'time'; windowMs: number; threshold: number; minimumCalls: number };

/** How the circuit decides to open and how long it stays open. Validated by the executor. */
export interface CircuitPolicy {
  /** Consecutive failed operations that open the circuit; `0` turns the rule off (use `failureRate` alone). */
  failureThreshold: number;
  failureRate: FailureRateWindow | null;
  /** How long the circuit stays open before a trial. */
  openDurationMs: number;
  /** Each re-open after a failed trial multiplies the open duration by this (1 = constant). */
  openBackoffMultiplier: number;
  /** Cap for the grown open duration. */
  maxOpenDurationMs: number;
  /** Trial calls admitted while half-open. */
  halfOpenMaxCalls: number;
  /**
   * Trials that have not settled this long after the first of them was admitted are given up on: the half-open period
   * starts again with its slots free (a late verdict of the old trials changes nothing), so a trial that never settles
   * cannot hold the circuit half-open for good. The clock starts at an admission, not at half-opening, so a trial
   * admitted late in an idle half-open period gets the whole time. `null`: the open duration.
   */
  trialTimeoutMs: number | null;
}

export const defaultCircuitPolicy: CircuitPolicy = {
  failureThreshold: 5,
  failureRate: null,
  openDurationMs: 60_000,
  openBackoffMultiplier: 1,
  maxOpenDurationMs: 600_000,
  halfOpenMaxCalls: 1,
  trialTimeoutMs: null,
};

/** One completed operation in the failure-rate window. */
export interface Outcome {
  readonly at: number;
  readonly failed: boolean;
}

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
  /** The open duration chosen when the circuit last opened (backoff and the server's Retry-After applied). */
  openDurationMs: number;
  /** Re-opens since the circuit last closed. */
  reopenCount: number;
  /** The longest wait the server asked for in the failures since the last success (or since half-opening). */
  serverRetryAfterMs: number | null;
  trialsInFlight: number;
  /** Trial admissions ever granted; the executor compares it before and after `TRY_ACQUIRE`. */
  admissions: number;
  /** Outstanding `isolate()` handles. */
  isolationHolds: number;
  /** Whether the last failed operation was a rate limit (429) rather than an outage (5xx, network, timeout). */
  lastFailureRateLimited: boolean;
  /** Why the circuit last opened: its failures were rate limits, or the server was not answering. */
  openReason: 'rate-limited' | 'unavailable';
  outcomes: readonly Outcome[];
}

export type CircuitEvent =
  | { type: 'SUCCESS'; at: number; epoch: number }
  /** `rateLimited`: the operation failed on a rate limit (429) rather than an outage; default false. */
  | { type: 'FAILURE'; at: number; epoch: number; retryAfterMs: number | null; rateLimited?: boolean }
  /** An operation ended without saying anything about the server's health (aborted, or a 4xx that is not a failure). */
  | { type: 'IGNORED'; epoch: number }
  | { type: 'TRY_ACQUIRE' }
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

export interface CircuitInput {
  policy?: Partial<CircuitPolicy>;
}

/** The open duration for the `reopenCount`-th re-open, never shorter than the server's Retry-After. */
export function computeOpenDuration(policy: CircuitPolicy, reopenCount: number, serverRetryAfterMs: number | null): number {
  const grown = policy.openDurationMs * policy.openBackoffMultiplier ** reopenCount;
  const capped = Math.min(Math.max(policy.maxOpenDurationMs, policy.openDurationMs), grown);
  return Math.max(capped, serverRetryAfterMs ?? 0);
}

function pruneOutcomes(policy: CircuitPolicy, outcomes: readonly Outcome[], now: number): readonly Outcome[] {
  const window = policy.failureRate;
  if (window === null) return outcomes;
  if (window.kind === 'count') return outcomes.length > window.size ? outcomes.slice(-window.size) : outcomes;
  const from = now - window.windowMs;
  let start = 0;
  while (start < outcomes.length && outcomes[start]!.at <= from) start++;
  return start === 0 ? outcomes : outcomes.slice(start);
}

function failureRateExceeded(policy: CircuitPolicy, outcomes: readonly Outcome[]): boolean {
  const window = policy.failureRate;
  if (window === null || outcomes.length < window.minimumCalls || outcomes.length === 0) return false;
  let failed = 0;
  for (const outcome of outcomes) if (outcome.failed) failed++;
  return failed / outcomes.length >= window.threshold;
}

const closedReset = {
  consecutiveFailures: 0,
  openedAt: null,
  reopenCount: 0,
  serverRetryAfterMs: null,
  trialsInFlight: 0,
  outcomes: [],
} as const;

/**
 * The circuit: `closed` lets calls through and counts failed operations; `open` rejects every call until its timer
 * lets one trial through in `halfOpen`; `isolated` is held open by hand. Time only enters through events (`at`) and the
 * named `openDuration` delay, so the machine runs on any clock. `ADOPT_OPEN`/`ADOPT_CLOSED` bring in what happened
 * elsewhere (a stored state after a reload, another tab); an isolated circuit ignores them, being held by hand.
 */
export const circuitBreakerMachine = setup({
  types: {
    context: {} as CircuitContext,
    events: {} as CircuitEvent,
    // `void`, not `undefined`: setup() infers the input type from an optional property, which drops `undefined`, and
    // createActor() then demands an input. With `void` in the type, `createActor(machine)` type-checks and runs.
    input: {} as CircuitInput | void,
  },
  guards: {
    isCurrent: ({ context, event }) => 'epoch' in event && event.epoch === context.epoch,
    failureOpensCircuit: ({ context, event }) => {
      if (event.type !== 'FAILURE' || event.epoch !== context.epoch) return false;
      const { policy } = context;
      if (policy.failureThreshold > 0 && context.consecutiveFailures + 1 >= policy.failureThreshold) return true;
      if (policy.failureRate === null) return false;
      const outcomes = pruneOutcomes(policy, [...context.outcomes, { at: event.at, failed: true }], event.at);
      return failureRateExceeded(policy, outcomes);
    },
    successOpensCircuit: ({ context, event }) => {
      // A success can still leave the rate above the threshold once the minimum number of calls is reached.
      if (event.type !== 'SUCCESS' || event.epoch !== context.epoch || context.policy.failureRate === null) return false;
      const outcomes = pruneOutcomes(context.policy, [...context.outcomes, { at: event.at, failed: false }], event.at);
      return failureRateExceeded(context.policy, outcomes);
    },
    trialSlotFree: ({ context }) => context.trialsInFlight < context.policy.halfOpenMaxCalls,
    noTrialInFlight: ({ context }) => context.trialsInFlight === 0 && context.policy.halfOpenMaxCalls > 0,
    isLastTrial: ({ context, event }) =>
      event.type === 'IGNORED' && event.epoch === context.epoch && context.trialsInFlight === 1,
    isLastIsolationHold: ({ context }) => context.isolationHolds <= 1,
    adoptedPeriodRunning: ({ event }) =>
      event.type === 'ADOPT_OPEN' && event.openedAt + event.openDurationMs > event.at,
  },
  actions: {
    recordSuccess: assign(({ context, event }) => {
      if (event.type !== 'SUCCESS') return {};
      const { policy } = context;
      return {
        consecutiveFailures: 0,
        // A success ends the run of failures; a wait the server asked for before it no longer applies.
        serverRetryAfterMs: null,
        outcomes:
          policy.failureRate === null
            ? context.outcomes
            : pruneOutcomes(policy, [...context.outcomes, { at: event.at, failed: false }], event.at),
      };
    }),
    recordFailure: assign(({ context, event }) => {
      if (event.type !== 'FAILURE') return {};
      const { policy } = context;
      return {
        consecutiveFailures: context.consecutiveFailures + 1,
        lastFailureTime: event.at,
        lastFailureRateLimited: event.rateLimited === true,
        serverRetryAfterMs: Math.max(context.serverRetryAfterMs ?? 0, event.retryAfterMs ?? 0) || null,
        outcomes:
          policy.failureRate === null
            ? context.outcomes
            : pruneOutcomes(policy, [...context.outcomes, { at: event.at, failed: true }], event.at),
      };
    }),
    markOpened: assign(({ context, event }) => {
      const at = 'at' in event ? event.at : (context.openedAt ?? 0);
      const retryAfterMs = event.type === 'FAILURE' ? event.retryAfterMs : null;
      const serverRetryAfterMs = Math.max(context.serverRetryAfterMs ?? 0, retryAfterMs ?? 0) || null;
      const rateLimited = event.type === 'FAILURE' ? event.rateLimited === true : context.lastFailureRateLimited;
      return {
        openedAt: at,
        serverRetryAfterMs,
        openDurationMs: computeOpenDuration(context.policy, context.reopenCount, serverRetryAfterMs),
        openReason: rateLimited ? ('rate-limited' as const) : ('unavailable' as const),
      };
    }),
    countReopen: assign({ reopenCount: ({ context }) => context.reopenCount + 1 }),
    bumpEpoch: assign({ epoch: ({ context }) => context.epoch + 1 }),
    acquireTrial: assign({
      trialsInFlight: ({ context }) => context.trialsInFlight + 1,
      admissions: ({ context }) => context.admissions + 1,
    }),
    releaseTrial: assign({ trialsInFlight: ({ context }) => Math.max(0, context.trialsInFlight - 1) }),
    startTrialTimer: raise(({ context }) => ({ type: 'TRIAL_TIMEOUT' as const, epoch: context.epoch }), {
      id: 'trialTimeout',
      delay: 'trialTimeout',
    }),
    cancelTrialTimer: cancel('trialTimeout'),
    resetToClosed: assign(closedReset),
    clearFailureTime: assign({ lastFailureTime: null }),
    holdIsolation: assign(({ context, event }) => ({
      isolationHolds: context.isolationHolds + 1,
      openedAt: context.isolationHolds === 0 && event.type === 'ISOLATE' ? event.at : context.openedAt,
    })),
    releaseIsolation: assign({ isolationHolds: ({ context }) => Math.max(0, context.isolationHolds - 1) }),
    endIsolation: assign({ isolationHolds: 0 }),
    adoptOpening: assign(({ event }) => {
      if (event.type !== 'ADOPT_OPEN') return {};
      return {
        openedAt: event.openedAt,
        openDurationMs: event.openDurationMs,
        reopenCount: event.reopenCount,
        serverRetryAfterMs: null,
      };
    }),
  },
  delays: {
    // An adopted opening is waited out only for the time it has left; XState does not restore pending timers.
    openDuration: ({ context, event }) =>
      event.type === 'ADOPT_OPEN' ? event.openedAt + event.openDurationMs - event.at : context.openDurationMs,
    trialTimeout: ({ context }) => context.policy.trialTimeoutMs ?? context.policy.openDurationMs,
  },
}).createMachine({
  id: 'circuitBreaker',
  context: ({ input }) => {
    const policy = { ...defaultCircuitPolicy, ...(input as CircuitInput | undefined)?.policy };
    return {
      policy,
      epoch: 0,
      lastFailureTime: null,
      openDurationMs: policy.openDurationMs,
      admissions: 0,
      isolationHolds: 0,
      lastFailureRateLimited: false,
      openReason: 'unavailable',
      ...closedReset,
    };
  },
  initial: 'closed',
  on: {
    ISOLATE: { target: '.isolated', actions: 'holdIsolation' },
  },
  states: {
    closed: {
      entry: ['bumpEpoch', 'resetToClosed'],
      on: {
        SUCCESS: [
          { guard: 'successOpensCircuit', target: 'open', actions: ['recordSuccess', 'markOpened'] },
          { guard: 'isCurrent', actions: 'recordSuccess' },
        ],
        FAILURE: [
          { guard: 'failureOpensCircuit', target: 'open', actions: ['recordFailure', 'markOpened'] },
          { guard: 'isCurrent', actions: 'recordFailure' },
        ],
        RESET: { target: 'closed', reenter: true, actions: 'clearFailureTime' },
        ADOPT_OPEN: [
          { guard: 'adoptedPeriodRunning', target: 'open', actions: 'adoptOpening' },
          { target: 'halfOpen', actions: 'adoptOpening' },
        ],
      },
    },
    open: {
      entry: 'bumpEpoch',
      after: {
        openDuration: { target: 'halfOpen' },
      },
      on: {
        RESET: { target: 'closed', actions: 'clearFailureTime' },
        ADOPT_OPEN: [
          { guard: 'adoptedPeriodRunning', target: 'open', reenter: true, actions: 'adoptOpening' },
          { target: 'halfOpen', actions: 'adoptOpening' },
        ],
        ADOPT_CLOSED: { target: 'closed' },
      },
    },
    halfOpen: {
      // The waits that opened the circuit have been served; a re-open honours only the failed trial's own wait.
      entry: ['bumpEpoch', assign({ trialsInFlight: 0, serverRetryAfterMs: null })],
      exit: 'cancelTrialTimer',
      on: {
        TRY_ACQUIRE: [
          // The first trial of the period starts the clock for all of them.
          { guard: 'noTrialInFlight', actions: ['acquireTrial', 'startTrialTimer'] },
          { guard: 'trialSlotFree', actions: 'acquireTrial' },
        ],
        // A trial that never settles must not hold the circuit half-open for good: a new period frees the slots.
        TRIAL_TIMEOUT: { guard: 'isCurrent', target: 'halfOpen', reenter: true },
        SUCCESS: { guard: 'isCurrent', target: 'closed' },
        FAILURE: {
          guard: 'isCurrent',
          target: 'open',
          actions: ['recordFailure', 'countReopen', 'markOpened'],
        },
        IGNORED: [
          { guard: 'isLastTrial', actions: ['releaseTrial', 'cancelTrialTimer'] },
          { guard: 'isCurrent', actions: 'releaseTrial' },
        ],
        RESET: { target: 'closed', actions: 'clearFailureTime' },
        // An opening whose period is over changes nothing here: this circuit is already past it.
        ADOPT_OPEN: { guard: 'adoptedPeriodRunning', target: 'open', actions: 'adoptOpening' },
        ADOPT_CLOSED: { target: 'closed' },
      },
    },
    isolated: {
      entry: 'bumpEpoch',
      on: {
        ISOLATE: { actions: 'holdIsolation' },
        RELEASE: [
          { guard: 'isLastIsolationHold', target: 'closed', actions: 'releaseIsolation' },
          { actions: 'releaseIsolation' },
        ],
        END_ISOLATION: { target: 'closed', actions: 'endIsolation' },
      },
    },
  },
});

export type CircuitBreakerMachine = typeof circuitBreakerMachine;
