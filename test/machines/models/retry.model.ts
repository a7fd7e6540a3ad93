import { assign, setup, type SnapshotFrom } from 'xstate';
import type { RetryPolicy } from '../../../machines/retry.machine.js';

/**
 * An abstract model of `retryMachine` for `createTestModel`: the same states, the `retryDelay` timer as an explicit
 * `BACKOFF_ELAPSED` event, and each kind of failure as its own event. Its delays are worked out here by hand.
 *
 * Policy under test: 2 retries (3 attempts), 100 ms doubling, ±20 % proportional jitter, Retry-After respected up to
 * 5 s; one free retry of a 429 while the server serves others (`FAILED_PACED`), which neither counts against the
 * 2 retries nor grows the back-off. Every FAILED carries the draw `random = 0.75`, i.e. +10 %: back-offs of 110 ms then 220 ms.
 */
export const MODEL_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  multiplier: 2,
  jitter: 'proportional',
  jitterFactor: 0.2,
  respectRetryAfter: true,
  maxRetryAfterMs: 5_000,
  rateLimitRetries: 1,
};

export const RANDOM_DRAW = 0.75;
/** Retry-After values carried by the failure events. */
export const RETRY_AFTER = { ra: 700, atMax: 5_000, tooLong: 6_000, fatal: 6_000 } as const;

/** The kind of the last failure; the test sends one fixed error object per kind. */
export type FailureKind = 'fatal' | 'plain' | 'ra' | 'atMax' | 'tooLong' | 'noBudget' | 'paced';

export interface RetryModelContext {
  attempt: number;
  /** Retries that counted against the 2 allowed. */
  retries: number;
  /** Free 429 retries taken (at most 1). */
  paced: number;
  /** The back-off chosen by the last failure. */
  delayMs: number;
  lastRetryAfterMs: number | null;
  lastFailure: FailureKind | null;
}

export type RetryModelEvent =
  | { type: 'SUCCEEDED' }
  /** Not retryable (and carrying a Retry-After that is too long: being not retryable wins). */
  | { type: 'FAILED_FATAL' }
  /** Retryable, no Retry-After. */
  | { type: 'FAILED' }
  /** Retryable, Retry-After 700 ms (longer than the back-off). */
  | { type: 'FAILED_RETRY_AFTER' }
  /** Retryable, Retry-After exactly maxRetryAfterMs (still waited for). */
  | { type: 'FAILED_RETRY_AFTER_AT_MAX' }
  /** Retryable, Retry-After above maxRetryAfterMs: give up at once. */
  | { type: 'FAILED_RETRY_AFTER_TOO_LONG' }
  /** Retryable, but the executor's retry budget has nothing left (`budgetAllows: false`): give up. */
  | { type: 'FAILED_NO_BUDGET' }
  /** A 429 while the server goes on accepting other requests (`paced: true`), no Retry-After. */
  | { type: 'FAILED_PACED' }
  | { type: 'ABORT' }
  /** Time: the chosen back-off passes. */
  | { type: 'BACKOFF_ELAPSED' };

export type RetryModelEventType = RetryModelEvent['type'];

/** round(100 ms · 2^(attempt-1) · 1.1): 110, 220. */
export function expectedBackoffMs(attempt: number): number {
  return Math.round(100 * 2 ** (attempt - 1) * 1.1);
}

const failure = (kind: FailureKind, retryAfterMs: number | null) =>
  ({ type: 'recordFailure', params: { kind, retryAfterMs } }) as const;

const chooseDelay = (retryAfterMs: number) => ({ type: 'chooseDelay', params: { retryAfterMs } }) as const;

const unchanged = { actions: 'unchanged' } as const;

export const retryModel = setup({
  types: {
    context: {} as RetryModelContext,
    events: {} as RetryModelEvent,
  },
  actions: {
    unchanged: () => {},
    recordFailure: assign((_, params: { kind: FailureKind; retryAfterMs: number | null }) => ({
      lastFailure: params.kind,
      lastRetryAfterMs: params.retryAfterMs,
    })),
    chooseDelay: assign(({ context }, params: { retryAfterMs: number }) => ({
      retries: context.retries + 1,
      delayMs: Math.max(expectedBackoffMs(context.retries + 1), params.retryAfterMs),
    })),
    // A free retry waits for no back-off of its own: only the pacer's slot, which the executor waits for.
    pacedDelay: assign({ paced: ({ context }) => context.paced + 1, delayMs: 0 }),
    nextAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
  },
  guards: {
    hasRetriesLeft: ({ context }) => context.retries < 2,
    pacedLeft: ({ context }) => context.paced < 1,
  },
}).createMachine({
  id: 'retryModel',
  context: { attempt: 1, retries: 0, paced: 0, delayMs: 0, lastRetryAfterMs: null, lastFailure: null },
  initial: 'attempting',
  states: {
    attempting: {
      on: {
        SUCCEEDED: { target: 'succeeded' },
        FAILED_FATAL: { target: 'rejected', actions: failure('fatal', RETRY_AFTER.fatal) },
        FAILED_RETRY_AFTER_TOO_LONG: { target: 'exhausted', actions: failure('tooLong', RETRY_AFTER.tooLong) },
        FAILED_NO_BUDGET: { target: 'exhausted', actions: failure('noBudget', null) },
        FAILED: [
          { guard: 'hasRetriesLeft', target: 'backingOff', actions: [failure('plain', null), chooseDelay(0)] },
          { target: 'exhausted', actions: failure('plain', null) },
        ],
        FAILED_PACED: [
          { guard: 'pacedLeft', target: 'backingOff', actions: [failure('paced', null), 'pacedDelay'] },
          { guard: 'hasRetriesLeft', target: 'backingOff', actions: [failure('paced', null), chooseDelay(0)] },
          { target: 'exhausted', actions: failure('paced', null) },
        ],
        FAILED_RETRY_AFTER: [
          { guard: 'hasRetriesLeft', target: 'backingOff', actions: [failure('ra', RETRY_AFTER.ra), chooseDelay(RETRY_AFTER.ra)] },
          { target: 'exhausted', actions: failure('ra', RETRY_AFTER.ra) },
        ],
        FAILED_RETRY_AFTER_AT_MAX: [
          {
            guard: 'hasRetriesLeft',
            target: 'backingOff',
            actions: [failure('atMax', RETRY_AFTER.atMax), chooseDelay(RETRY_AFTER.atMax)],
          },
          { target: 'exhausted', actions: failure('atMax', RETRY_AFTER.atMax) },
        ],
        ABORT: { target: 'aborted' },
      },
    },
    backingOff: {
      on: {
        BACKOFF_ELAPSED: { target: 'attempting', actions: 'nextAttempt' },
        ABORT: { target: 'aborted' },
        // A result arriving while backing off (there is no attempt running) changes nothing.
        SUCCEEDED: unchanged,
        FAILED: unchanged,
        FAILED_FATAL: unchanged,
      },
    },
    succeeded: { type: 'final' },
    exhausted: { type: 'final' },
    rejected: { type: 'final' },
    aborted: { type: 'final' },
  },
});

export type RetryModelSnapshot = SnapshotFrom<typeof retryModel>;
export type RetryModelState = 'attempting' | 'backingOff' | 'succeeded' | 'exhausted' | 'rejected' | 'aborted';
