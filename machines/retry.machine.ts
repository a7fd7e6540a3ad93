import { and, assign, setup } from 'xstate';
import { delayOf } from './delayOf.js';

/** How the back-off delay is randomised. `proportional` spreads it by ±`jitterFactor` around the exponential value. */
export type JitterStrategy = 'none' | 'proportional' | 'full' | 'equal' | 'decorrelated';

/** The per-request retry loop's policy. Validated by the executor. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Growth of the delay per retry (2 doubles it). */
  multiplier: number;
  jitter: JitterStrategy;
  /** Spread of `proportional` jitter: 0.2 gives 80–120 ms for a 100 ms step. */
  jitterFactor: number;
  /** Never retry sooner than the server's Retry-After / RateLimit-Reset. */
  respectRetryAfter: boolean;
  /** A server wait above this gives up at once instead of waiting (the error carries the wait). */
  maxRetryAfterMs: number;
  /**
   * Retries of a 429 while the server goes on accepting other requests (it is rate limiting, not down). They wait for
   * the server's Retry-After and then for the pacer's next slot, and count neither against `maxRetries` nor the retry
   * budget. 0 makes every 429 count, as in a plain retry loop.
   */
  rateLimitRetries: number;
}

/** The retry policy a machine started without `input` runs: 3 retries from 100 ms, doubling, ±20% jitter. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 'proportional',
  jitterFactor: 0.2,
  respectRetryAfter: true,
  maxRetryAfterMs: 120_000,
  rateLimitRetries: 20,
};

/**
 * The wait before retry number `retry` (1-based), before any Retry-After is applied.
 * `random` is a draw in [0, 1); `previousDelayMs` feeds decorrelated jitter.
 * Always finite, >= 0 and <= `maxDelayMs`.
 */
export function computeBackoff(policy: RetryPolicy, retry: number, random: number, previousDelayMs: number): number {
  const { initialDelayMs, maxDelayMs, multiplier } = policy;
  const r = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0;
  const exponential = Math.min(maxDelayMs, initialDelayMs * multiplier ** Math.max(0, retry - 1));
  let delay: number;
  switch (policy.jitter) {
    case 'none':
      delay = exponential;
      break;
    case 'proportional':
      delay = exponential * (1 + policy.jitterFactor * (2 * r - 1));
      break;
    case 'full':
      delay = exponential * r;
      break;
    case 'equal':
      delay = exponential / 2 + (exponential / 2) * r;
      break;
    case 'decorrelated': {
      // The first retry grows from the base as every later one grows from the last wait, so it is spread too.
      const previous = previousDelayMs > 0 ? previousDelayMs : initialDelayMs;
      const upper = Math.max(initialDelayMs, previous * 3);
      delay = initialDelayMs + (upper - initialDelayMs) * r;
      break;
    }
  }
  if (!Number.isFinite(delay)) return maxDelayMs;
  // Round first, then cap: a fractional cap must still bound the result.
  return Math.min(maxDelayMs, Math.round(Math.max(0, delay)));
}

/** What the retry machine remembers about one call: its policy, the attempt, the delay chosen and the last failure. */
export interface RetryContext {
  policy: RetryPolicy;
  /** The attempt running (in `attempting`) or the one that just ended. 1-based. */
  attempt: number;
  /** Retries that counted against `maxRetries` (they drive the back-off). */
  retries: number;
  /** Retries of a 429 while the server accepted other requests (see `rateLimitRetries`). */
  rateLimitRetries: number;
  /**
   * How the current back-off was granted: `paced` (a 429 while the server serves others: free, the pacer spaces it),
   * `scheduled` (the server's Retry-After: free), `budgeted` (spends one retry of the executor's retry budget).
   */
  retryKind: 'paced' | 'scheduled' | 'budgeted' | null;
  lastError: unknown;
  /** The server's last requested wait, in ms, or `null`. */
  lastRetryAfterMs: number | null;
  /** The wait of the current back-off: what the `retryDelay` delay gives (the provided one, if any). */
  delayMs: number;
  /**
   * Why the loop gave up (in `exhausted`): the retries (or the retry budget) ran out, or the server asked to wait longer
   * than `maxRetryAfterMs`. `null` before.
   */
  giveUpReason: 'retries-exhausted' | 'retry-after-too-long' | null;
  /** The reason given with `ABORT`. */
  abortReason: unknown;
}

/**
 * What the retry machine is told about one call: an attempt failed (with the facts the executor classified) or
 * succeeded, or the call was aborted.
 */
export type RetryEvent =
  | { type: 'SUCCEEDED' }
  /**
   * The attempt failed. The executor classifies the error (the machine does no I/O): whether it may be retried, and
   * the server's requested wait. `random` is a draw in [0, 1) for the jitter.
   */
  | {
      type: 'FAILED';
      error: unknown;
      retryable: boolean;
      retryAfterMs: number | null;
      random: number;
      /**
       * False when the executor's retry budget has no retry left to spend; a retry the server did not schedule then
       * gives up. Default true.
       */
      budgetAllows?: boolean;
      /**
       * The failure is a rate limit while the server goes on accepting other requests, and a pacer spaces the next
       * attempt: the retry is free (see `rateLimitRetries`). Default false.
       */
      paced?: boolean;
    }
  | { type: 'ABORT'; reason: unknown };

/** `createActor(retryMachine, { input })`: a policy, merged over {@link defaultRetryPolicy}. */
export interface RetryInput {
  policy?: Partial<RetryPolicy>;
}

/**
 * One request's retry loop: `attempting` until the executor reports the outcome, `backingOff` for the chosen delay,
 * and one of four endings: `succeeded`, `exhausted` (out of attempts, or the server's wait is too long), `rejected`
 * (the error is not retryable), `aborted` (the caller or the circuit stopped it).
 */
export const retryMachine = setup({
  types: {
    context: {} as RetryContext,
    events: {} as RetryEvent,
    // `void`, not `undefined`: setup() infers the input type from an optional property, which drops `undefined`, and
    // createActor() then demands an input. With `void` in the type, `createActor(machine)` type-checks and runs.
    input: {} as RetryInput | void,
  },
  guards: {
    isNotRetryable: ({ event }) => event.type === 'FAILED' && !event.retryable,
    retryAfterTooLong: ({ context, event }) =>
      event.type === 'FAILED' &&
      context.policy.respectRetryAfter &&
      event.retryAfterMs !== null &&
      event.retryAfterMs > context.policy.maxRetryAfterMs,
    isPacedRateLimit: ({ context, event }) =>
      event.type === 'FAILED' && event.paced === true && context.rateLimitRetries < context.policy.rateLimitRetries,
    hasRetriesLeft: ({ context }) => context.retries < context.policy.maxRetries,
    // A retry the server scheduled (Retry-After) is free: waiting it out is what the server asked.
    budgetAllows: ({ event }) => event.type !== 'FAILED' || event.budgetAllows !== false || event.retryAfterMs !== null,
  },
  actions: {
    recordFailure: assign(({ event }) =>
      event.type === 'FAILED' ? { lastError: event.error, lastRetryAfterMs: event.retryAfterMs } : {},
    ),
    chooseDelay: assign(({ context, event }) => {
      if (event.type !== 'FAILED') return {};
      const retries = context.retries + 1;
      const backoff = computeBackoff(context.policy, retries, event.random, context.delayMs);
      const serverWait = context.policy.respectRetryAfter ? (event.retryAfterMs ?? 0) : 0;
      return {
        retries,
        delayMs: Math.max(backoff, serverWait),
        retryKind: event.retryAfterMs !== null ? ('scheduled' as const) : ('budgeted' as const),
      };
    }),
    // The server is serving others: wait what it asked for, then the pacer's next slot (the executor waits for it).
    choosePacedDelay: assign(({ context, event }) => {
      if (event.type !== 'FAILED') return {};
      const serverWait = context.policy.respectRetryAfter ? (event.retryAfterMs ?? 0) : 0;
      return { rateLimitRetries: context.rateLimitRetries + 1, delayMs: serverWait, retryKind: 'paced' as const };
    }),
    nextAttempt: assign({ attempt: ({ context }) => context.attempt + 1 }),
    recordGiveUp: assign((_, params: { reason: 'retries-exhausted' | 'retry-after-too-long' }) => ({ giveUpReason: params.reason })),
    // The wait is what the `retryDelay` delay gives (a provided one, if any), so that what the log, `onRetry` and the
    // inspector show is the wait the timer runs.
    recordDelay: assign(({ context, event, self, system }) => ({ delayMs: delayOf(self, 'retryDelay', { context, event, self, system }) })),
    recordAbort: assign(({ event }) => (event.type === 'ABORT' ? { abortReason: event.reason } : {})),
  },
  delays: {
    retryDelay: ({ context }) => context.delayMs,
  },
}).createMachine({
  id: 'retry',
  context: ({ input }) => ({
    policy: { ...defaultRetryPolicy, ...(input as RetryInput | undefined)?.policy },
    attempt: 1,
    retries: 0,
    rateLimitRetries: 0,
    retryKind: null,
    lastError: undefined,
    lastRetryAfterMs: null,
    delayMs: 0,
    giveUpReason: null,
    abortReason: undefined,
  }),
  initial: 'attempting',
  states: {
    attempting: {
      on: {
        SUCCEEDED: { target: 'succeeded' },
        FAILED: [
          { guard: 'isNotRetryable', target: 'rejected', actions: 'recordFailure' },
          {
            guard: 'retryAfterTooLong',
            target: 'exhausted',
            actions: ['recordFailure', { type: 'recordGiveUp', params: { reason: 'retry-after-too-long' } }],
          },
          { guard: 'isPacedRateLimit', target: 'backingOff', actions: ['recordFailure', 'choosePacedDelay'] },
          {
            guard: and(['hasRetriesLeft', 'budgetAllows']),
            target: 'backingOff',
            actions: ['recordFailure', 'chooseDelay'],
          },
          { target: 'exhausted', actions: ['recordFailure', { type: 'recordGiveUp', params: { reason: 'retries-exhausted' } }] },
        ],
        ABORT: { target: 'aborted', actions: 'recordAbort' },
      },
    },
    backingOff: {
      entry: 'recordDelay',
      after: {
        retryDelay: { target: 'attempting', actions: 'nextAttempt' },
      },
      on: {
        ABORT: { target: 'aborted', actions: 'recordAbort' },
      },
    },
    succeeded: { type: 'final' },
    exhausted: { type: 'final' },
    rejected: { type: 'final' },
    aborted: { type: 'final' },
  },
});

/** The type of {@link retryMachine}, for `Actor<RetryMachine>` and `SnapshotFrom<…>`. */
export type RetryMachine = typeof retryMachine;
