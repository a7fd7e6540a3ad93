import { assign, cancel, emit, raise, setup } from 'xstate';
import {
  computeOpenDuration,
  defaultCircuitPolicy,
  failureRateExceeded,
  longestServerWait,
  pruneOutcomes,
} from './circuitPolicy.js';
import { delayOf } from './delayOf.js';

import type { CircuitContext, CircuitEmitted, CircuitEvent, CircuitInput, OpenCause } from './circuitTypes.js';

export { computeOpenDuration, defaultCircuitPolicy };
export type { CircuitPolicy, FailureRateWindow, Outcome } from './circuitPolicy.js';
export type { CircuitContext, CircuitEmitted, CircuitEvent, CircuitInput, OpenCause } from './circuitTypes.js';


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
    emitted: {} as CircuitEmitted,
    // `void`, not `undefined`: setup() infers the input type from an optional property, which drops `undefined`, and
    // createActor() then demands an input. With `void` in the type, `createActor(machine)` type-checks and runs.
    input: {} as CircuitInput | void,
  },
  guards: {
    isCurrent: ({ context, event }) => 'epoch' in event && event.epoch === context.epoch,
    failureThresholdReached: ({ context, event }) => {
      if (event.type !== 'FAILURE' || event.epoch !== context.epoch) return false;
      const { policy } = context;
      return policy.failureThreshold > 0 && context.consecutiveFailures + 1 >= policy.failureThreshold;
    },
    failureRateReached: ({ context, event }) => {
      if (event.type !== 'FAILURE' || event.epoch !== context.epoch) return false;
      const { policy } = context;
      if (policy.failureRate === null) return false;
      const outcomes = pruneOutcomes(policy, [...context.outcomes, { at: event.at, failed: true }], event.at);
      return failureRateExceeded(policy, outcomes);
    },
    /**
     * A success that changes nothing: no failures to forget, no server wait to drop, no rate to count. The executor
     * does not send such a SUCCESS: it asks this guard (the provided one, if any) while the circuit `admits` calls.
     */
    successChangesNothing: ({ context, event }) =>
      event.type === 'SUCCESS' &&
      context.consecutiveFailures === 0 &&
      context.serverRetryAfterMs === null &&
      context.policy.failureRate === null,
    successOpensCircuit: ({ context, event }) => {
      // A success can still leave the rate above the threshold once the minimum number of calls is reached.
      if (event.type !== 'SUCCESS' || event.epoch !== context.epoch || context.policy.failureRate === null) return false;
      const outcomes = pruneOutcomes(context.policy, [...context.outcomes, { at: event.at, failed: false }], event.at);
      return failureRateExceeded(context.policy, outcomes);
    },
    trialSlotFree: ({ context }) => context.trialsInFlight < context.policy.halfOpenMaxCalls,
    /** A retry of a call admitted in this half-open period: one of its trials, which goes on in its slot. */
    holdsTrial: ({ context, event }) => event.type === 'TRY_ACQUIRE' && event.epoch === context.epoch && context.trialsInFlight > 0,
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
        serverRetryAfterMs: longestServerWait(policy, context.serverRetryAfterMs, event.retryAfterMs),
        outcomes:
          policy.failureRate === null
            ? context.outcomes
            : pruneOutcomes(policy, [...context.outcomes, { at: event.at, failed: true }], event.at),
      };
    }),
    markOpened: assign(({ context, event }, params: { cause: OpenCause }) => {
      const at = 'at' in event ? event.at : (context.openedAt ?? 0);
      const retryAfterMs = event.type === 'FAILURE' ? event.retryAfterMs : null;
      const serverRetryAfterMs = longestServerWait(context.policy, context.serverRetryAfterMs, retryAfterMs);
      const rateLimited = event.type === 'FAILURE' ? event.rateLimited === true : context.lastFailureRateLimited;
      return {
        openedAt: at,
        serverRetryAfterMs,
        openReason: rateLimited ? ('rate-limited' as const) : ('unavailable' as const),
        openCause: params.cause,
      };
    }),
    // The period is what the `openDuration` delay gives (the provided one, if any): the timer and everything that
    // reads the period (the error's wait, the UI's next trial, the stored record) agree. An adopted period keeps its
    // own length: its delay is only what is left of it.
    recordOpenDuration: assign(({ context, event, self, system }) =>
      event.type === 'ADOPT_OPEN' ? {} : { openDurationMs: delayOf(self, 'openDuration', { context, event, self, system }) },
    ),
    admit: emit(({ context }) => ({ type: 'admitted' as const, epoch: context.epoch })),
    countReopen: assign({ reopenCount: ({ context }) => context.reopenCount + 1 }),
    bumpEpoch: assign({ epoch: ({ context }) => context.epoch + 1 }),
    acquireTrial: assign({ trialsInFlight: ({ context }) => context.trialsInFlight + 1 }),
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
        openCause: 'adopted' as const,
      };
    }),
  },
  delays: {
    // The open period: the policy's, grown by re-opens and never shorter than the server's Retry-After. An adopted
    // opening is waited out only for the time it has left (XState does not restore pending timers); a provided
    // `openDuration` should do the same for ADOPT_OPEN.
    openDuration: ({ context, event }) =>
      event.type === 'ADOPT_OPEN'
        ? event.openedAt + event.openDurationMs - event.at
        : computeOpenDuration(context.policy, context.reopenCount, context.serverRetryAfterMs),
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
      isolationHolds: 0,
      lastFailureRateLimited: false,
      openReason: 'unavailable',
      openCause: 'consecutive-failures',
      ...closedReset,
    };
  },
  initial: 'closed',
  on: {
    ISOLATE: { target: '.isolated', actions: 'holdIsolation' },
  },
  states: {
    closed: {
      // `admits`: every call runs at once, in the current epoch (the executor reads the tag instead of asking).
      tags: ['admits'],
      entry: ['bumpEpoch', 'resetToClosed'],
      on: {
        TRY_ACQUIRE: { actions: 'admit' },
        SUCCESS: [
          // Taken, and nothing happens: the executor skips sending such a success (it asks the same guard).
          { guard: 'successChangesNothing' },
          {
            guard: 'successOpensCircuit',
            target: 'open',
            actions: ['recordSuccess', { type: 'markOpened', params: { cause: 'failure-rate' } }],
          },
          { guard: 'isCurrent', actions: 'recordSuccess' },
        ],
        FAILURE: [
          {
            guard: 'failureThresholdReached',
            target: 'open',
            actions: ['recordFailure', { type: 'markOpened', params: { cause: 'consecutive-failures' } }],
          },
          {
            guard: 'failureRateReached',
            target: 'open',
            actions: ['recordFailure', { type: 'markOpened', params: { cause: 'failure-rate' } }],
          },
          { guard: 'isCurrent', actions: 'recordFailure' },
        ],
        RESET: { target: 'closed', reenter: true, actions: 'clearFailureTime' },
        ADOPT_OPEN: [
          { guard: 'adoptedPeriodRunning', target: 'open', actions: 'adoptOpening' },
          { target: 'halfOpen', actions: 'adoptOpening' },
        ],
      },
    },
    // No TRY_ACQUIRE here: every call is turned away until the timer half-opens the circuit.
    open: {
      entry: ['bumpEpoch', 'recordOpenDuration'],
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
          // A trial's retry goes on in the slot it holds.
          { guard: 'holdsTrial', actions: 'admit' },
          // The first trial of the period starts the clock for all of them.
          { guard: 'noTrialInFlight', actions: ['acquireTrial', 'startTrialTimer', 'admit'] },
          { guard: 'trialSlotFree', actions: ['acquireTrial', 'admit'] },
        ],
        // A trial that never settles must not hold the circuit half-open for good: a new period frees the slots.
        TRIAL_TIMEOUT: { guard: 'isCurrent', target: 'halfOpen', reenter: true },
        SUCCESS: { guard: 'isCurrent', target: 'closed' },
        FAILURE: {
          guard: 'isCurrent',
          target: 'open',
          actions: ['recordFailure', 'countReopen', { type: 'markOpened', params: { cause: 'trial-failed' } }],
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
    // No TRY_ACQUIRE here either: held open by hand.
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

/** The type of {@link circuitBreakerMachine}, for `Actor<CircuitBreakerMachine>` and `SnapshotFrom<…>`. */
export type CircuitBreakerMachine = typeof circuitBreakerMachine;
