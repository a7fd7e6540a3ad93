import { describe, expect, it, vi } from 'vitest';
import { circuitBreakerMachine, retryMachine } from '../../machines/index.js';
import { createExecutor, isCircuitOpenError, isRetriesExhaustedError, type Executor } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { circuitInbox } from '../support/executorHelpers.js';

/**
 * The machines are the program: a rule changed with `.provide({ guards, delays })` changes what `execute()` does, and
 * what the executor reports (errors, circuit state, `onRetry`) is what the provided rule decided.
 */

/** A rate limit with nothing else said: retried by the retry machine's rules (unpaced: these executors have no pacer). */
const fail429 = async (): Promise<never> => {
  throw httpError(429);
};

async function failOperations(executor: Executor, n: number): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let i = 0; i < n; i++) errors.push(await executor.execute(fail429).catch((e: unknown) => e));
  return errors;
}

/** Opens after 2 consecutive failed operations instead of the policy's 5. */
const trippedByTwo = circuitBreakerMachine.provide({
  guards: {
    failureThresholdReached: ({ context, event }) =>
      event.type === 'FAILURE' && event.epoch === context.epoch && context.consecutiveFailures + 1 >= 2,
  },
});

/** Open periods from a table by re-open count: 1 s, then 4 s, then 9 s. */
const OPEN_TABLE_MS = [1_000, 4_000, 9_000];
const openFromTable = circuitBreakerMachine.provide({
  delays: {
    openDuration: ({ context, event }) =>
      event.type === 'ADOPT_OPEN'
        ? event.openedAt + event.openDurationMs - event.at
        : OPEN_TABLE_MS[Math.min(context.reopenCount, OPEN_TABLE_MS.length - 1)]!,
  },
});

describe('a provided circuit machine decides what execute() does', () => {
  it('the circuit hears every success once a provided successChangesNothing says each one matters', async () => {
    const hearsEverySuccess = circuitBreakerMachine.provide({ guards: { successChangesNothing: () => false } });
    const inbox = circuitInbox();
    const executor = createExecutor({ clock: createTestClock(), pacer: false, inspect: inbox.inspect, machines: { circuit: hearsEverySuccess } });
    await executor.execute(() => 'a');
    await executor.execute(() => 'b');
    expect(inbox.sent()).toEqual(['SUCCESS', 'SUCCESS']);

    const defaults = circuitInbox();
    const plain = createExecutor({ clock: createTestClock(), pacer: false, inspect: defaults.inspect });
    await plain.execute(() => 'a');
    expect(defaults.sent()).toEqual([]);
  });

  it('a provided trip rule opens the circuit at the second failed operation, and that operation says it tripped it', async () => {
    const executor = createExecutor({ clock: createTestClock(), pacer: false, maxRetries: 0, machines: { circuit: trippedByTwo } });
    const [first, second] = await failOperations(executor, 2);
    expect(isCircuitOpenError(first)).toBe(false);
    expect(second).toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN', tripped: true });
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', isOpen: true, consecutiveFailures: 2 });

    const operation = vi.fn(async () => 'never');
    await expect(executor.execute(operation)).rejects.toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN', tripped: false });
    expect(operation).not.toHaveBeenCalled();
  });

  it('the default machine still needs five failed operations (the same options, no machine given)', async () => {
    const executor = createExecutor({ clock: createTestClock(), pacer: false, maxRetries: 0 });
    await failOperations(executor, 4);
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 4 });
  });

  it('a provided open duration is the period the timer runs, the refusal reports and the next trial is due at', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, pacer: false, maxRetries: 0, failureThreshold: 1, machines: { circuit: openFromTable } });
    const openedAt = clock.now();
    await failOperations(executor, 1);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', openedAt, nextAttemptAt: openedAt + 1_000 });
    await expect(executor.execute(async () => 'x')).rejects.toMatchObject({ retryAfterMs: 1_000 });

    await clock.advance(999);
    expect(executor.getCircuitState().state).toBe('open');
    await clock.advance(1);
    expect(executor.getCircuitState().state).toBe('halfOpen');

    // The trial fails: the first re-open takes the table's second period, not the policy's doubling.
    const reopenedAt = clock.now();
    await failOperations(executor, 1);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 1, nextAttemptAt: reopenedAt + 4_000 });
    await clock.advance(4_000);
    await expect(executor.execute(async () => 'trial')).resolves.toBe('trial');
    expect(executor.getCircuitState().state).toBe('closed');
  });

  it('a provided trial rule lets two calls try a half-open circuit at once, and the circuit reads open only when both run', async () => {
    const twoTrials = circuitBreakerMachine.provide({
      guards: { trialSlotFree: ({ context }) => context.trialsInFlight < 2 },
    });
    const clock = createTestClock();
    const executor = createExecutor({ clock, pacer: false, maxRetries: 0, failureThreshold: 1, openDurationMs: 1_000, machines: { circuit: twoTrials } });
    await failOperations(executor, 1);
    await clock.advance(1_000);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: false });

    const releases: Array<() => void> = [];
    const pending = (): Promise<string> => new Promise((resolve) => releases.push(() => resolve('ok')));
    const first = track(executor.execute(pending));
    expect(executor.getCircuitState()).toMatchObject({ trialsInFlight: 1, isOpen: false });
    const second = track(executor.execute(pending));
    expect(executor.getCircuitState()).toMatchObject({ trialsInFlight: 2, isOpen: true });
    await expect(executor.execute(async () => 'third')).rejects.toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN', state: 'halfOpen' });

    for (const release of releases) release();
    await clock.advance(0);
    expect([first.value, second.value]).toEqual(['ok', 'ok']);
    expect(executor.getCircuitState().state).toBe('closed');
  });
});

describe('a provided retry machine decides what execute() does', () => {
  it('a provided retry delay is the wait the call takes, and onRetry is told that wait', async () => {
    const clock = createTestClock();
    const fixed = retryMachine.provide({ delays: { retryDelay: 7 } });
    const onRetry = vi.fn();
    const executor = createExecutor({ clock, pacer: false, machines: { retry: fixed } });
    let attempts = 0;
    const call = track(
      executor.execute(
        async () => {
          attempts++;
          if (attempts === 1) throw httpError(429);
          return 'stored';
        },
        { onRetry },
      ),
    );
    await clock.advance(0);
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 1, delayMs: 7 }));
    await clock.advance(6);
    expect(attempts).toBe(1);
    await clock.advance(1);
    expect(attempts).toBe(2);
    expect(call).toMatchObject({ settled: true, value: 'stored' });
  });

  it('a provided retry rule gives up after one retry, and the error counts the attempts it made', async () => {
    const oneRetry = retryMachine.provide({ guards: { hasRetriesLeft: ({ context }) => context.retries < 1 } });
    const clock = createTestClock();
    const executor = createExecutor({ clock, pacer: false, jitter: 'none', machines: { retry: oneRetry } });
    const operation = vi.fn(fail429);
    const call = track(executor.execute(operation));
    await clock.advance(100);
    expect(operation).toHaveBeenCalledTimes(2);
    expect(isRetriesExhaustedError(call.error)).toBe(true);
    expect(call.error).toMatchObject({ attempts: 2, retryAfterTooLong: false });
  });

  it('a provided rule on server waits gives up on a 2 s Retry-After, and the error says the wait was too long', async () => {
    const atMostOneSecond = retryMachine.provide({
      guards: {
        retryAfterTooLong: ({ event }) => event.type === 'FAILED' && event.retryAfterMs !== null && event.retryAfterMs > 1_000,
      },
    });
    const executor = createExecutor({ clock: createTestClock(), pacer: false, machines: { retry: atMostOneSecond } });
    const operation = vi.fn(async () => Promise.reject(httpError(429, { 'Retry-After': '2' })));
    const error = await executor.execute(operation).catch((e: unknown) => e);
    expect(operation).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED', retryAfterTooLong: true, retryAfterMs: 2_000 });
  });
});
