/**
 * Pins the exact values `createExecutor` produces, so that a flipped operator, a dropped condition or a changed
 * field in `src/createExecutor.ts` makes a test fail. Each test names the behaviour a user would notice.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { circuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import {
  AttemptTimeoutError,
  CircuitOpenError,
  createExecutor,
  createPacer,
  createRetryBudget,
  RetriesExhaustedError,
  type CircuitState,
  type Clock,
  type Executor,
  type LogEntry,
  type Pacer,
} from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

const T0 = 1_700_000_000_000;
const noPacing = { pacer: false, retryBudget: false } as const;

const fail500 = async (): Promise<never> => {
  throw httpError(500);
};

async function failTimes(executor: Executor, n: number, context?: unknown): Promise<void> {
  for (let i = 0; i < n; i++) await executor.execute(fail500, { context }).catch(() => undefined);
}

/** A call that stays pending until `settle` is called. */
function pendingCall(executor: Executor): { call: ReturnType<typeof track>; resolve(value?: unknown): void; reject(error: unknown): void } {
  let resolve!: (value?: unknown) => void;
  let reject!: (error: unknown) => void;
  const call = track(executor.execute(() => new Promise((res, rej) => ((resolve = res), (reject = rej)))));
  return { call, resolve: (v) => resolve(v), reject: (e) => reject(e) };
}

/** Delegates to `clock` and knows which of its timers are still pending. */
function timerCountingClock(clock: Clock): Clock & { pending(): number } {
  const live = new Set<unknown>();
  return {
    now: () => clock.now(),
    setTimeout(fn, ms) {
      const id: unknown = clock.setTimeout(() => {
        live.delete(id);
        fn();
      }, ms);
      live.add(id);
      return id;
    },
    clearTimeout(id) {
      live.delete(id);
      clock.clearTimeout(id);
    },
    pending: () => live.size,
  };
}

const closed = (over: Partial<CircuitState> = {}): CircuitState => ({
  state: 'closed',
  isOpen: false,
  consecutiveFailures: 0,
  lastFailureTime: null,
  openedAt: null,
  nextAttemptAt: null,
  trialsInFlight: 0,
  reopenCount: 0,
  ...over,
});

describe('getCircuitState() field by field', () => {
  it('is exact in closed, open, halfOpen, re-opened and closed-again states', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 1000, ...noPacing });
    expect(executor.getCircuitState()).toEqual(closed());

    await clock.advance(5);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toEqual(closed({ consecutiveFailures: 1, lastFailureTime: T0 + 5 }));

    await clock.advance(5);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toEqual({
      state: 'open',
      isOpen: true,
      consecutiveFailures: 2,
      lastFailureTime: T0 + 10,
      openedAt: T0 + 10,
      nextAttemptAt: T0 + 1010,
      trialsInFlight: 0,
      reopenCount: 0,
    });

    // Half-open: still remembers when it opened, but no longer announces a next attempt.
    await clock.advance(1000);
    expect(executor.getCircuitState()).toEqual({
      state: 'halfOpen',
      isOpen: false,
      consecutiveFailures: 2,
      lastFailureTime: T0 + 10,
      openedAt: T0 + 10,
      nextAttemptAt: null,
      trialsInFlight: 0,
      reopenCount: 0,
    });

    // The trial fails: open again, counted as a re-open.
    await clock.advance(7);
    await failTimes(executor, 1);
    expect(executor.getCircuitState()).toEqual({
      state: 'open',
      isOpen: true,
      consecutiveFailures: 3,
      lastFailureTime: T0 + 1017,
      openedAt: T0 + 1017,
      nextAttemptAt: T0 + 2017,
      trialsInFlight: 0,
      reopenCount: 1,
    });

    // A successful trial closes it: openedAt is gone, the time of the last failure is kept until a reset.
    await clock.advance(1000);
    await executor.execute(() => 'trial ok');
    expect(executor.getCircuitState()).toEqual(closed({ lastFailureTime: T0 + 1017 }));
    executor.resetCircuit();
    expect(executor.getCircuitState()).toEqual(closed());
  });

  it('in halfOpen, isOpen is true only once every trial slot is taken, and trials are counted', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, halfOpenMaxCalls: 2, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const first = pendingCall(executor);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: false, trialsInFlight: 1, nextAttemptAt: null });
    const second = pendingCall(executor);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: true, trialsInFlight: 2 });

    // One trial fails: open again; trials still running are not reported outside halfOpen.
    first.reject(httpError(500));
    await clock.advance(0);
    expect(executor.getCircuitState()).toEqual({
      state: 'open',
      isOpen: true,
      consecutiveFailures: 2,
      lastFailureTime: T0 + 1000,
      openedAt: T0 + 1000,
      nextAttemptAt: T0 + 2000,
      trialsInFlight: 0,
      reopenCount: 1,
    });
    second.resolve('late');
    await clock.advance(0);
    expect(second.call).toMatchObject({ settled: true, value: 'late' });
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', trialsInFlight: 0 });
  });

  it('an isolated circuit is open, with openedAt at the isolation and no next attempt', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    await clock.advance(42);
    const hold = executor.isolate();
    expect(executor.getCircuitState()).toEqual({
      state: 'isolated',
      isOpen: true,
      consecutiveFailures: 0,
      lastFailureTime: null,
      openedAt: T0 + 42,
      nextAttemptAt: null,
      trialsInFlight: 0,
      reopenCount: 0,
    });
    hold[Symbol.dispose]!();
    expect(executor.getCircuitState()).toEqual(closed());
  });

  it('an isolation taken while trials run reports no trials', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const trial = pendingCall(executor);
    expect(executor.getCircuitState().trialsInFlight).toBe(1);
    const hold = executor.isolate();
    expect(executor.getCircuitState()).toMatchObject({ state: 'isolated', isOpen: true, trialsInFlight: 0, nextAttemptAt: null, openedAt: T0 + 1000 });
    hold.dispose();
    trial.resolve(1);
    await clock.advance(0);
  });
});

describe('getCircuitState() identity', () => {
  it('returns the same object while no field changes, even when the machine took an event', async () => {
    const clock = createTestClock();
    // With a failure rate, every success is sent to the circuit, so its snapshot changes without any field changing.
    const executor = createExecutor({
      clock,
      failureThreshold: 5,
      failureRate: { kind: 'count', size: 10, threshold: 0.9, minimumCalls: 10 },
      ...noPacing,
    });
    const snapshot = executor.circuit.getSnapshot();
    const before = executor.getCircuitState();
    expect(executor.getCircuitState()).toBe(before);
    await executor.execute(() => 'ok');
    expect(executor.circuit.getSnapshot()).not.toBe(snapshot);
    expect(executor.getCircuitState()).toBe(before);
  });

  it('returns a new object when only consecutiveFailures changes (two failures at the same clock time)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    await failTimes(executor, 1);
    const one = executor.getCircuitState();
    await failTimes(executor, 1);
    const two = executor.getCircuitState();
    expect(two).not.toBe(one);
    expect(two).toMatchObject({ consecutiveFailures: 2, lastFailureTime: one.lastFailureTime });
  });

  it('returns a new object when only lastFailureTime changes (a reset after a success)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    await failTimes(executor, 1);
    await executor.execute(() => 'ok');
    const kept = executor.getCircuitState();
    expect(kept).toEqual(closed({ lastFailureTime: T0 }));
    executor.resetCircuit();
    expect(executor.getCircuitState()).not.toBe(kept);
    expect(executor.getCircuitState()).toEqual(closed());
  });

  it('returns a new object when only trialsInFlight changes', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, halfOpenMaxCalls: 3, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const idle = executor.getCircuitState();
    const trial = pendingCall(executor);
    const busy = executor.getCircuitState();
    expect(busy).not.toBe(idle);
    expect(busy).toEqual({ ...idle, trialsInFlight: 1 });
    trial.resolve(1);
    await clock.advance(0);
  });

  it('returns a new object when the state changes (isolated, open, halfOpen)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    const a = executor.getCircuitState();
    const hold = executor.isolate();
    const b = executor.getCircuitState();
    expect(b).not.toBe(a);
    hold.dispose();
    await failTimes(executor, 1);
    const open = executor.getCircuitState();
    await clock.advance(1000);
    const half = executor.getCircuitState();
    expect(half).not.toBe(open);
    expect([open.state, half.state]).toEqual(['open', 'halfOpen']);
  });
});

describe('CircuitOpenError from the executor', () => {
  it('carries the exact time left while open, null while halfOpen or isolated, and logs it', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 10_000, logger: (e) => entries.push(e), ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(2_500);
    const open = await executor.execute(() => 1, { context: 'x' }).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open).toMatchObject({ state: 'open', retryAfterMs: 7_500 });
    expect(entries.at(-1)).toEqual({
      level: 'info',
      event: 'call-rejected',
      message: '[RateLimit] Circuit open: call rejected without being tried',
      context: 'x',
      data: { state: 'open', retryAfterMs: 7_500 },
    });
    await clock.advance(7_499);
    await expect(executor.execute(() => 1)).rejects.toMatchObject({ state: 'open', retryAfterMs: 1 });

    await clock.advance(1);
    const trial = pendingCall(executor);
    const halfOpen = await executor.execute(() => 1).catch((e: unknown) => e);
    expect(halfOpen).toMatchObject({ state: 'halfOpen', retryAfterMs: null });
    expect(entries.at(-1)).toMatchObject({ message: '[RateLimit] Circuit halfOpen: call rejected without being tried', data: { state: 'halfOpen', retryAfterMs: null } });
    trial.resolve(1);
    await clock.advance(0);
    expect(executor.getStats().rejections).toBe(3);
  });
});

describe('the open time a server wait asks for', () => {
  it('is capped by the larger of maxOpenDurationMs and maxRetryAfterMs', async () => {
    const clock = createTestClock();
    // Retry-After 1 h: more than maxRetryAfterMs (gives up at once) and more than maxOpenDurationMs (the cap).
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, maxRetryAfterMs: 30_000, ...noPacing });
    await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '3600' }))).catch(() => undefined);
    expect(executor.getCircuitState().nextAttemptAt).toBe(T0 + 600_000);
  });

  it('uses maxRetryAfterMs as the cap when it is the larger one', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, maxRetries: 0, openDurationMs: 1000, maxOpenDurationMs: 5000, ...noPacing });
    await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '60' }))).catch(() => undefined);
    expect(executor.getCircuitState().nextAttemptAt).toBe(T0 + 60_000);
  });
});

describe('retry budget', () => {
  it('a retry the server scheduled with Retry-After is free', async () => {
    const clock = createTestClock();
    const budget = createRetryBudget({ ratio: 0, burst: 2 });
    const executor = createExecutor({ clock, jitter: 'none', pacer: false, retryBudget: budget });
    const call = track(executor.execute(async ({ attempt }) => (attempt < 3 ? Promise.reject(httpError(429, { 'Retry-After': '1' })) : 'ok')));
    await clock.advance(1000);
    await clock.advance(1000);
    expect(call).toMatchObject({ settled: true, value: 'ok' });
    expect(budget.available()).toBe(2);
  });

  it('an error that is not retried spends nothing', async () => {
    const budget = createRetryBudget({ ratio: 0, burst: 2 });
    const executor = createExecutor({ clock: createTestClock(), pacer: false, retryBudget: budget });
    await failTimes(executor, 1);
    expect(budget.available()).toBe(2);
  });

  it('the last failure of a call spends nothing; each retry before it spends one', async () => {
    const clock = createTestClock();
    const budget = createRetryBudget({ ratio: 0, burst: 5 });
    const executor = createExecutor({ clock, jitter: 'none', maxRetries: 1, pacer: false, retryBudget: budget });
    const call = track(executor.execute(async () => Promise.reject(httpError(429))));
    await clock.advance(100);
    expect(call.error).toBeInstanceOf(RetriesExhaustedError);
    expect(call.error).toMatchObject({ attempts: 2 });
    expect(budget.available()).toBe(4);
  });

  it('an empty budget ends the call early with the attempts made so far', async () => {
    const clock = createTestClock();
    const budget = createRetryBudget({ ratio: 0, burst: 1 });
    const executor = createExecutor({ clock, jitter: 'none', pacer: false, retryBudget: budget });
    const op = vi.fn(async () => Promise.reject(httpError(429)));
    const call = track(executor.execute(op));
    await clock.advance(100);
    await clock.advance(200);
    expect(op).toHaveBeenCalledTimes(2);
    expect(call.error).toMatchObject({ name: 'RetriesExhaustedError', attempts: 2, retryAfterTooLong: false });
    expect(budget.available()).toBe(0);
  });

  it('every admitted call earns its share', async () => {
    const clock = createTestClock();
    const budget = createRetryBudget({ ratio: 0.5, burst: 1 });
    const executor = createExecutor({ clock, jitter: 'none', pacer: false, retryBudget: budget });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(budget.available()).toBe(0);
    await executor.execute(() => 1);
    await executor.execute(() => 2);
    expect(budget.available()).toBe(1);
  });
});

describe('pacing', () => {
  const rateLimitHeaders = { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '9', 'RateLimit-Reset': '1', 'RateLimit-Policy': '10;w=1' };

  it('a Response-like success value teaches a shared pacer its limit', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    await executor.execute(() => ({ ok: true, headers: new Headers(rateLimitHeaders) }));
    expect(pacer.getState()).toMatchObject({ source: 'headers', inFlight: 0 });
  });

  it('values that are not Response-like leave the pacer unknown, and never break the call', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    const values = [null, undefined, 'text', 7, { headers: null }, { headers: 'x' }, { headers: { ...rateLimitHeaders } }];
    for (const value of values) await expect(executor.execute(() => value)).resolves.toBe(value);
    expect(pacer.getState()).toMatchObject({ source: 'unknown', inFlight: 0, throttled: 0 });
  });

  it('a failed attempt with rate-limit headers teaches the pacer; one without ends its reservation', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    await failTimes(executor, 1);
    expect(pacer.getState()).toMatchObject({ source: 'unknown', inFlight: 0 });
    await executor.execute(async () => Promise.reject(httpError(500, rateLimitHeaders))).catch(() => undefined);
    expect(pacer.getState()).toMatchObject({ source: 'headers', inFlight: 0, throttled: 0 });
  });

  it('a 429 is counted by the pacer and the stats', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, retryBudget: false, maxRetries: 0 });
    await executor.execute(async () => Promise.reject(httpError(429))).catch(() => undefined);
    expect(pacer.getState()).toMatchObject({ throttled: 1, inFlight: 0 });
    expect(executor.getStats()).toMatchObject({ rateLimited: 1, failures: 1 });
  });

  it('a paced call waits for its slot before its first attempt', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 1 });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    await executor.execute(() => 'first');
    const op = vi.fn(() => 'second');
    const call = track(executor.execute(op));
    await clock.advance(999);
    expect(op).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(call).toMatchObject({ settled: true, value: 'second' });
    expect(op).toHaveBeenCalledTimes(1);
  });

  it('a paced call whose circuit opened while it waited is rejected untried and gives its slot back', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 1 });
    const executor = createExecutor({ clock, pacer, retryBudget: false, failureThreshold: 1 });
    let rejectFirst!: (e: unknown) => void;
    const first = track(executor.execute(() => new Promise((_, reject) => (rejectFirst = reject))));
    const op = vi.fn(() => 'second');
    const second = track(executor.execute(op));
    expect(pacer.getState().inFlight).toBe(2);
    rejectFirst(httpError(500));
    await clock.advance(0);
    expect(first.settled).toBe(true);
    expect(executor.getCircuitState().state).toBe('open');
    await clock.advance(1000);
    expect(op).not.toHaveBeenCalled();
    expect(second.error).toBeInstanceOf(CircuitOpenError);
    expect(pacer.getState().inFlight).toBe(0);
    expect(executor.getStats()).toEqual({ calls: 2, successes: 0, failures: 1, retries: 0, rejections: 1, rateLimited: 0, aborted: 0 });
  });

  it('calls waiting for pacer slots when the circuit opens are all turned away at once, not one slot at a time', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 1 });
    const executor = createExecutor({ clock, pacer, retryBudget: false, failureThreshold: 1 });
    let rejectFirst!: (e: unknown) => void;
    const first = track(executor.execute(() => new Promise((_, reject) => (rejectFirst = reject))));
    const op = vi.fn(() => 'waited');
    const waiting = Array.from({ length: 4 }, () => track(executor.execute(op)));
    expect(pacer.getState().inFlight).toBe(5);

    rejectFirst(httpError(500));
    await clock.advance(0);

    expect(first.settled).toBe(true);
    expect(waiting.map((call) => call.error instanceof CircuitOpenError)).toEqual([true, true, true, true]);
    expect(op).not.toHaveBeenCalled();
    expect(pacer.getState().inFlight).toBe(0);
  });

  it('an abort that lands in the same tick as the pacer slot is honoured: the operation never runs', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 1 });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    await executor.execute(() => 'first');
    const controller = new AbortController();
    const op = vi.fn(() => 'second');
    const call = track(executor.execute(op, { signal: controller.signal }));
    // Set after the pacer's timer for the same instant: it fires right after the slot comes up, before the call goes on.
    clock.setTimeout(() => controller.abort('leave'), 1000);
    await clock.advance(1000);

    expect(call).toMatchObject({ settled: true, error: 'leave' });
    expect(op).not.toHaveBeenCalled();
    expect(executor.getStats()).toMatchObject({ calls: 2, successes: 1, aborted: 1, failures: 0 });
  });

  it('a paced call aborted while it waits rejects at once, untried, and gives its slot back', async () => {
    const base = createTestClock();
    const counting = timerCountingClock(base);
    const pacer = createPacer({ clock: counting, initialRatePerSecond: 1 });
    const executor = createExecutor({ clock: counting, pacer, retryBudget: false });
    await executor.execute(() => 'first');
    const controller = new AbortController();
    const op = vi.fn(() => 'second');
    const call = track(executor.execute(op, { signal: controller.signal }));
    await base.advance(500);
    expect(counting.pending()).toBe(1);
    controller.abort('leave');
    await base.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'leave' });
    expect(counting.pending()).toBe(0);
    await base.advance(1000);
    expect(op).not.toHaveBeenCalled();
    expect(pacer.getState().inFlight).toBe(0);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failures: 0 });
  });

  it('an attempt aborted by its caller ends its pacer reservation', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    const controller = new AbortController();
    const call = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    expect(pacer.getState().inFlight).toBe(1);
    controller.abort('gone');
    await expect(call).rejects.toBe('gone');
    expect(pacer.getState().inFlight).toBe(0);
  });
});

describe('execute() option checks', () => {
  const op = (): number => 1;
  const cases: Array<[string, unknown, string]> = [
    ['a string', 'fast', 'xstate-circuit-breaker: execute() options must be an object, got "fast".'],
    ['null', null, 'xstate-circuit-breaker: execute() options must be an object, got null.'],
    ['a null signal', { signal: null }, 'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got null.'],
    ['a string signal', { signal: 'stop' }, 'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got "stop".'],
    [
      'a signal without a boolean aborted',
      { signal: { aborted: 'no', addEventListener: () => undefined } },
      'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got an object.',
    ],
    [
      'a signal without addEventListener',
      { signal: { aborted: false, addEventListener: 'no' } },
      'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got an object.',
    ],
    ['a string idempotent', { idempotent: 'yes' }, 'xstate-circuit-breaker: execute() option "idempotent" must be a boolean, got "yes".'],
    ['a number onRetry', { onRetry: 1 }, 'xstate-circuit-breaker: execute() option "onRetry" must be a function, got 1.'],
  ];

  it.each(cases)('rejects %s with a TypeError naming it, and counts a failure', async (_name, options, message) => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const called = vi.fn(op);
    const result = executor.execute(called, options as never);
    await expect(result).rejects.toThrow(new TypeError(message));
    await expect(result).rejects.toBeInstanceOf(TypeError);
    expect(called).not.toHaveBeenCalled();
    expect(executor.getStats()).toEqual({ calls: 1, successes: 0, failures: 1, retries: 0, rejections: 0, rateLimited: 0, aborted: 0 });
  });

  it('accepts every option when well formed', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const signal = new AbortController().signal;
    await expect(executor.execute(op, { signal, idempotent: true, onRetry: () => undefined, context: 1 })).resolves.toBe(1);
    await expect(executor.execute(op, {})).resolves.toBe(1);
  });

  it('rejects a non-function operation naming the value', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    await expect(executor.execute(42 as never)).rejects.toThrow(new TypeError('xstate-circuit-breaker: execute() needs a function, got 42.'));
    expect(executor.getStats()).toMatchObject({ calls: 1, failures: 1 });
  });
});

describe('stats', () => {
  it('are exact after a mixed run', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 2, ...noPacing });
    await executor.execute(() => 'ok');
    const retried = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(100);
    expect(retried.value).toBe('ok');
    await executor.execute(() => 1, { signal: AbortSignal.abort('already') }).catch(() => undefined);
    const controller = new AbortController();
    const aborted = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('later');
    await aborted.catch(() => undefined);
    await executor.execute(async () => Promise.reject(httpError(404))).catch(() => undefined);
    await failTimes(executor, 2);
    await executor.execute(() => 'refused').catch(() => undefined);
    expect(executor.getStats()).toEqual({ calls: 8, successes: 2, failures: 3, retries: 1, rejections: 1, rateLimited: 1, aborted: 2 });
  });

  it('getStats() returns a copy', () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const stats = executor.getStats() as { calls: number };
    stats.calls = 99;
    expect(executor.getStats().calls).toBe(0);
  });
});

describe('RetriesExhaustedError and its log line', () => {
  it('carries the attempts, the last Retry-After, the last error, and is not "too long" at exactly maxRetryAfterMs', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, maxRetries: 2, maxRetryAfterMs: 2000, logger: (e) => entries.push(e), ...noPacing });
    const errors = [httpError(429, { 'Retry-After': '2' }), httpError(429, { 'Retry-After': '2' }), httpError(429, { 'Retry-After': '2' })];
    const call = track(executor.execute(async ({ attempt }) => Promise.reject(errors[attempt - 1]), { context: 'c' }));
    await clock.advance(2000);
    await clock.advance(2000);
    const error = call.error as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect({ attempts: error.attempts, retryAfterMs: error.retryAfterMs, retryAfterTooLong: error.retryAfterTooLong }).toEqual({
      attempts: 3,
      retryAfterMs: 2000,
      retryAfterTooLong: false,
    });
    expect(error.cause).toBe(errors[2]);
    expect(entries.at(-1)).toEqual({
      level: 'error',
      event: 'retries-exhausted',
      message: '[RateLimit] Max retries (2) exceeded',
      context: 'c',
      data: { attempts: 3, retryAfterMs: 2000, status: 429 },
    });
    expect(entries[0]).toEqual({
      level: 'warn',
      event: 'retry',
      message: '[RateLimit] Rate limit detected. Retrying in 2000ms (attempt 1/2)',
      context: 'c',
      data: { delayMs: 2000, attempt: 1, maxRetries: 2, retryAfterMs: 2000, status: 429, paced: false },
    });
  });

  it('a wait over maxRetryAfterMs is "too long" and logged as such', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, maxRetryAfterMs: 2000, logger: (e) => entries.push(e), ...noPacing });
    const error = await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '3' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, retryAfterMs: 3000, retryAfterTooLong: true });
    expect(entries).toEqual([
      {
        level: 'error',
        event: 'retry-after-too-long',
        message: '[RateLimit] Server asked to wait 3000ms, more than maxRetryAfterMs (2000ms). Giving up.',
        context: undefined,
        data: { attempts: 1, retryAfterMs: 3000, status: 429 },
      },
    ]);
  });

  it('with respectRetryAfter off, a long Retry-After is never "too long"', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, maxRetries: 0, respectRetryAfter: false, maxRetryAfterMs: 2000, logger: (e) => entries.push(e), ...noPacing });
    const error = await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '3600' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, retryAfterTooLong: false });
    expect(entries.map((e) => e.event)).toEqual(['retries-exhausted']);
  });

  it('a transient error without a status says so in its retry line', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, jitter: 'none', logger: (e) => entries.push(e), ...noPacing });
    const network = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(network) : 'ok'), { idempotent: true }));
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(entries).toEqual([
      {
        level: 'warn',
        event: 'retry',
        message: '[RateLimit] Transient error. Retrying in 100ms (attempt 1/3)',
        context: undefined,
        data: { delayMs: 100, attempt: 1, maxRetries: 3, retryAfterMs: null, status: undefined, paced: false },
      },
    ]);
  });
});

describe('onRetry', () => {
  it('is told the failed attempt, the delay, the error and the server wait', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const infos: unknown[] = [];
    const first = httpError(429, { 'Retry-After': '1' });
    const second = httpError(429);
    const call = track(
      executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(first) : attempt === 2 ? Promise.reject(second) : 'ok'), {
        onRetry: (info) => infos.push(info),
      }),
    );
    await clock.advance(1000);
    await clock.advance(200);
    expect(call.value).toBe('ok');
    expect(infos).toEqual([
      { attempt: 1, delayMs: 1000, error: first, retryAfterMs: 1000 },
      { attempt: 2, delayMs: 200, error: second, retryAfterMs: null },
    ]);
    expect(executor.getStats()).toMatchObject({ retries: 2, rateLimited: 2, successes: 1 });
  });

  it('a hook that throws ends the call with its error, counted as aborted, and no further attempt', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const bug = new Error('hook bug');
    const op = vi.fn(async () => Promise.reject(httpError(429)));
    const call = track(
      executor.execute(op, {
        onRetry: () => {
          throw bug;
        },
      }),
    );
    await clock.advance(1000);
    expect(call).toMatchObject({ settled: true, error: bug });
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failures: 0, retries: 0 });
  });
});

describe('classification overrides', () => {
  it('isFailure alone decides what counts against the circuit, and is told attempt, idempotent and the classification', async () => {
    const clock = createTestClock();
    const seen: unknown[] = [];
    const executor = createExecutor({
      clock,
      failureThreshold: 1,
      isFailure: (error, info) => {
        seen.push(info);
        return (error as { status?: number }).status === 404;
      },
      ...noPacing,
    });
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('closed');
    await executor.execute(async () => Promise.reject(httpError(404)), { idempotent: true }).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('open');
    expect(seen).toEqual([
      { attempt: 1, idempotent: false, classification: { rateLimited: false, retryable: false, countsAsFailure: true, retryAfterMs: null, status: 500 } },
      { attempt: 1, idempotent: true, classification: { rateLimited: false, retryable: false, countsAsFailure: false, retryAfterMs: null, status: 404 } },
    ]);
  });

  it('shouldRetry alone keeps the default decision of what counts as a failure', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, shouldRetry: () => false, ...noPacing });
    await executor.execute(async () => Promise.reject(httpError(404))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('closed');
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('open');
  });
});

describe('attempt timeouts', () => {
  it('a timed-out attempt of a call that is not idempotent rejects with AttemptTimeoutError and counts as a failure', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, attemptTimeoutMs: 500, ...noPacing });
    let signal: AbortSignal | undefined;
    const call = track(
      executor.execute((context) => {
        signal = context.signal;
        return new Promise(() => {});
      }),
    );
    await clock.advance(499);
    expect(call.settled).toBe(false);
    await clock.advance(1);
    expect(call.error).toBeInstanceOf(AttemptTimeoutError);
    expect(call.error).toMatchObject({ timeoutMs: 500, message: 'The attempt did not finish within 500 ms.' });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(call.error);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', consecutiveFailures: 1 });
  });

  it('an attempt that answers in time leaves no timer and its signal is never aborted later', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const executor = createExecutor({ clock, attemptTimeoutMs: 500, ...noPacing });
    let signal: AbortSignal | undefined;
    await expect(
      executor.execute((context) => {
        signal = context.signal;
        return 'fast';
      }),
    ).resolves.toBe('fast');
    expect(clock.pending()).toBe(0);
    await base.advance(1000);
    expect(signal?.aborted).toBe(false);
  });

  it('a caller abort reaches the attempt signal with its reason and clears the timeout timer', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const executor = createExecutor({ clock, attemptTimeoutMs: 500, ...noPacing });
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const call = track(
      executor.execute(
        (context) => {
          signal = context.signal;
          return new Promise(() => {});
        },
        { signal: controller.signal },
      ),
    );
    expect(signal).not.toBe(controller.signal);
    expect(clock.pending()).toBe(1);
    const reason = new Error('left');
    controller.abort(reason);
    await base.advance(0);
    expect(call).toMatchObject({ settled: true, error: reason });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    expect(clock.pending()).toBe(0);
  });

  it('an abort during the back-off does not reach the signal of the attempt that already ended', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 500, ...noPacing });
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const call = track(
      executor.execute(
        async ({ signal }) => {
          signals.push(signal);
          throw httpError(429);
        },
        { signal: controller.signal },
      ),
    );
    await clock.advance(50);
    controller.abort('bye');
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'bye' });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });
});

describe('caller signals shared between calls', () => {
  it('a signal reused after its calls ended still aborts the next call', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    await executor.execute(() => 1, { signal: controller.signal });
    const call = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('second');
    await expect(call).rejects.toBe('second');
  });

  it('a call that ends does not stop the signal from aborting the calls still sharing it', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const hanging = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    await executor.execute(() => 'quick', { signal: controller.signal });
    expect(remove).not.toHaveBeenCalled();
    controller.abort('both');
    await expect(hanging).rejects.toBe('both');
    expect(add).toHaveBeenCalledTimes(1);
  });

  it('the first abort reason wins over a stop() that follows at once', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    const call = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('user');
    executor.stop('stopped');
    await expect(call).rejects.toBe('user');
    expect(executor.getStats().aborted).toBe(1);
  });
});

describe('a half-open trial that is retried', () => {
  it('keeps its slot through the back-off and closes the circuit on success', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    await failTimes(executor, 1);
    await clock.advance(1000);
    const op = vi.fn(async ({ attempt }: { attempt: number }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'trial ok'));
    const call = track(executor.execute(op));
    await clock.advance(50);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 1, isOpen: true });
    await clock.advance(50);
    expect(call).toMatchObject({ settled: true, value: 'trial ok' });
    expect(op).toHaveBeenCalledTimes(2);
    expect(executor.getCircuitState().state).toBe('closed');
  });
});

describe('circuit transition log lines', () => {
  it('carry from, to, the failure count and the open duration', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 1000, logger: (e) => entries.push(e), ...noPacing });
    await failTimes(executor, 2, 'row');
    await clock.advance(1000);
    await executor.execute(() => 'ok');
    expect(entries).toEqual([
      {
        level: 'error',
        event: 'circuit-opened',
        message: 'Circuit breaker opened after 2 consecutive failures',
        context: 'row',
        data: { from: 'closed', to: 'open', consecutiveFailures: 2, openDurationMs: 1000 },
      },
      {
        level: 'info',
        event: 'circuit-half-open',
        message: 'Circuit breaker reset after timeout',
        data: { from: 'open', to: 'halfOpen', consecutiveFailures: 2, openDurationMs: 1000 },
      },
      {
        level: 'info',
        event: 'circuit-closed',
        message: 'Circuit breaker closed after a successful trial',
        data: { from: 'halfOpen', to: 'closed', consecutiveFailures: 0, openDurationMs: 1000 },
      },
    ]);
  });

  it('names a failure-rate opening even with a threshold set, and does not reuse the context of an earlier failure', async () => {
    const entries: LogEntry[] = [];
    const executor = createExecutor({
      clock: createTestClock(),
      failureThreshold: 5,
      failureRate: { kind: 'count', size: 4, threshold: 0.5, minimumCalls: 4 },
      logger: (e) => entries.push(e),
      ...noPacing,
    });
    await failTimes(executor, 2, 'failed row');
    await executor.execute(() => 'ok');
    expect(entries).toEqual([]);
    await executor.execute(() => 'ok', { context: 'ok row' });
    expect(entries).toEqual([
      {
        level: 'error',
        event: 'circuit-opened',
        message: 'Circuit breaker opened: failure rate over the threshold',
        context: undefined,
        data: { from: 'closed', to: 'open', consecutiveFailures: 0, openDurationMs: 60_000 },
      },
    ]);
  });
});

describe('stop()', () => {
  it('rejects later calls with a default AbortError, and a second stop() keeps the first reason', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    executor.stop();
    const error = await executor.execute(() => 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'AbortError', message: 'The executor was stopped.' });
    const other = createExecutor({ clock: createTestClock(), ...noPacing });
    other.stop('first');
    other.stop('second');
    await expect(other.execute(() => 1)).rejects.toBe('first');
    expect(other.getStats()).toMatchObject({ calls: 1, aborted: 1, failures: 0 });
  });

  it('aborts the signal fast-path attempts receive', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    let signal: AbortSignal | undefined;
    void executor
      .execute(({ signal: s }) => {
        signal = s;
        return new Promise(() => {});
      })
      .catch(() => undefined);
    expect(signal?.aborted).toBe(false);
    executor.stop('done');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe('done');
  });
});

describe('subscribe()', () => {
  it('rejects a listener that is not a function, and stops notifying once unsubscribed', async () => {
    const executor = createExecutor({ clock: createTestClock(), failureThreshold: 1, ...noPacing });
    expect(() => executor.subscribe('x' as never)).toThrow(new TypeError('xstate-circuit-breaker: subscribe() needs a function.'));
    const seen: string[] = [];
    const unsubscribe = executor.subscribe((s) => seen.push(s.state));
    await failTimes(executor, 1);
    unsubscribe();
    executor.resetCircuit();
    expect(seen).toEqual(['open']);
  });
});

/** Records the events an executor sends to its circuit actor, as the Stately inspector sees them (one executor per inbox). */
function circuitInbox(): { inspect: (event: InspectionEvent) => void; sent(): string[] } {
  const seen: string[] = [];
  return {
    inspect: (event) => {
      if (event.type === '@xstate.event' && isCircuitActor(event.actorRef) && !event.event.type.startsWith('xstate.')) seen.push(event.event.type);
    },
    sent: () => [...seen],
  };
}

/** The inspector sees actors, not the executor's read-only view: the circuit actor is the one running the circuit machine. */
function isCircuitActor(actor: unknown): boolean {
  return (actor as { logic?: unknown }).logic === circuitBreakerMachine;
}

/** A pacer that never holds a call back unless told to, and records what the executor tells it. */
function recordingPacer(waits: number[] = []): Pacer & { calls: string[] } {
  const calls: string[] = [];
  const describe = (headers: unknown): string => (headers === null || headers === undefined ? String(headers) : 'headers');
  return {
    calls,
    reserve: () => (calls.push('reserve'), waits.shift() ?? 0),
    cancel: () => void calls.push('cancel'),
    observeSuccess: (headers) => void calls.push(`observeSuccess(${describe(headers)})`),
    observeFailure: () => void calls.push('observeFailure'),
    observeRateLimited: (headers) => void calls.push(`observeRateLimited(${describe(headers)})`),
    getState: () => ({ source: 'unknown', ratePerSecond: Infinity, burst: Infinity, tokens: Infinity, blockedUntil: null, throttled: 0, inFlight: 0 }),
  };
}

describe('one attempt after another (CallScope)', () => {
  it('an attempt that settles after its timeout leaves the abort of the next attempt intact: rejected at once, signal aborted, timer cleared', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 100, ...noPacing });
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    let settleFirst!: (value: string) => void;
    const call = track(
      executor.execute(
        ({ signal, attempt }) => {
          signals.push(signal);
          // Both attempts ignore their signal; the first one answers late, the second never.
          return new Promise<string>((resolve) => {
            if (attempt === 1) settleFirst = resolve;
          });
        },
        { signal: controller.signal, idempotent: true },
      ),
    );
    await base.advance(100); // attempt 1 times out; back-off of 100 ms
    await base.advance(100); // attempt 2 starts, with its own timeout timer
    expect(signals).toHaveLength(2);
    settleFirst('too late');
    await base.advance(0);
    expect(call.settled).toBe(false);
    expect(clock.pending()).toBe(1);

    controller.abort('leave');
    await base.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'leave' });
    expect(signals[1]!.aborted).toBe(true);
    expect(signals[1]!.reason).toBe('leave');
    expect(clock.pending()).toBe(0);
  });

  it('an operation that throws synchronously rejects with its own error on the fast path, with a signal and with a timeout', async () => {
    const base = createTestClock();
    const clock = timerCountingClock(base);
    const bug = httpError(400);
    const op = (): never => {
      throw bug;
    };
    const plain = createExecutor({ clock, ...noPacing });
    await expect(plain.execute(op)).rejects.toBe(bug);
    await expect(plain.execute(op, { signal: new AbortController().signal })).rejects.toBe(bug);
    const timed = createExecutor({ clock, attemptTimeoutMs: 500, ...noPacing });
    await expect(timed.execute(op)).rejects.toBe(bug);
    expect(clock.pending()).toBe(0);
    expect(plain.getStats()).toMatchObject({ calls: 2, failures: 2, successes: 0 });
  });

  it('hands the clock only timers it created to clear, never undefined', async () => {
    const base = createTestClock();
    const cleared: unknown[] = [];
    const clock: Clock<number> = {
      now: () => base.now(),
      setTimeout: (fn, ms) => base.setTimeout(fn, ms),
      clearTimeout: (id) => {
        cleared.push(id);
        base.clearTimeout(id);
      },
    };
    const executor = createExecutor({ clock, ...noPacing });
    await executor.execute(() => 'ok', { signal: new AbortController().signal });
    await executor.execute(fail500, { signal: new AbortController().signal }).catch(() => undefined);
    expect(cleared).not.toContain(undefined);
  });
});

describe('caller signal listeners', () => {
  it('a caller signal keeps no listener of the executor once its calls ended, or once it aborted them', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const ended = new AbortController();
    await executor.execute(() => 1, { signal: ended.signal });
    expect(getEventListeners(ended.signal, 'abort')).toHaveLength(0);

    const aborted = new AbortController();
    const call = executor.execute(() => new Promise(() => {}), { signal: aborted.signal });
    expect(getEventListeners(aborted.signal, 'abort')).toHaveLength(1);
    aborted.abort('gone');
    await expect(call).rejects.toBe('gone');
    expect(getEventListeners(aborted.signal, 'abort')).toHaveLength(0);
  });

  it('execute() rejects a function dressed as an AbortSignal', async () => {
    const fake = Object.assign(() => undefined, { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined });
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    await expect(executor.execute(() => 1, { signal: fake as never })).rejects.toThrow(
      new TypeError('xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got a function.'),
    );
  });
});

describe('Response-like success values', () => {
  it('a headers value that is a function is not read, even with a get() method', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    const real = new Headers({ 'RateLimit-Limit': '10', 'RateLimit-Remaining': '9', 'RateLimit-Reset': '1', 'RateLimit-Policy': '10;w=1' });
    const headers = Object.assign(() => undefined, { get: (name: string) => real.get(name) });
    await executor.execute(() => ({ ok: true, headers }));
    expect(pacer.getState()).toMatchObject({ source: 'unknown', inFlight: 0 });
  });
});

describe('stop() and calls already running', () => {
  it('a call without a signal, timeout or pacing wait settles as its operation does, even after stop() (as the README says)', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    let finish!: (value: string) => void;
    const call = track(executor.execute(() => new Promise<string>((resolve) => (finish = resolve))));
    executor.stop('stopped');
    await clock.advance(0);
    expect(call.settled).toBe(false);
    finish('late');
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, value: 'late' });
    expect(executor.getStats()).toMatchObject({ successes: 1, aborted: 0 });
  });

  it('such a call whose operation fails after stop() rejects with the stop reason, counted as aborted, and is not retried', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    let fail!: (error: unknown) => void;
    const op = vi.fn(() => new Promise((_, reject) => (fail = reject)));
    const call = track(executor.execute(op));
    executor.stop('stopped');
    fail(httpError(429));
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'stopped' });
    await clock.advance(1000);
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failures: 0, rateLimited: 0 });
  });

  it('a success that arrives after stop() sends nothing to the stopped circuit', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // With a failure rate every success is reported, so a late one would be sent if nothing held it back.
      const executor = createExecutor({ clock, failureRate: { kind: 'count', size: 10, threshold: 0.5, minimumCalls: 10 }, inspect: inbox.inspect, ...noPacing });
      let finish!: (value: string) => void;
      const call = executor.execute(() => new Promise<string>((resolve) => (finish = resolve)));
      executor.stop('stopped');
      finish('late');
      await expect(call).resolves.toBe('late');
      expect(inbox.sent()).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('the retry loop as the inspector sees it', () => {
  it('a call that succeeds on a retry ends its retry actor in succeeded', async () => {
    const clock = createTestClock();
    const snapshots: Array<{ actor: unknown; value: unknown }> = [];
    const executor = createExecutor({
      clock,
      jitter: 'none',
      inspect: (event) => {
        if (event.type === '@xstate.snapshot') snapshots.push({ actor: event.actorRef, value: (event.snapshot as { value?: unknown }).value });
      },
      ...noPacing,
    });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(snapshots.filter((s) => !isCircuitActor(s.actor)).map((s) => s.value)).toEqual(['attempting', 'backingOff', 'attempting', 'succeeded']);
  });
});

describe('what the pacer is told', () => {
  it('a failed attempt without headers is a failure to the pacer; one with headers (even empty) is a response to learn from', async () => {
    const pacer = recordingPacer();
    const executor = createExecutor({ clock: createTestClock(), pacer, retryBudget: false });
    await executor.execute(async () => Promise.reject(new Error('socket hang up'))).catch(() => undefined);
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(pacer.calls).toEqual(['reserve', 'observeFailure', 'reserve', 'observeSuccess(headers)']);
  });

  it('a retry waits for a pacing slot of its own after its back-off', async () => {
    const clock = createTestClock();
    const pacer = recordingPacer([0, 500]);
    const executor = createExecutor({ clock, jitter: 'none', pacer, retryBudget: false });
    const op = vi.fn(async ({ attempt }: { attempt: number }) => (attempt === 1 ? Promise.reject(httpError(503)) : 'ok'));
    const call = track(executor.execute(op, { idempotent: true }));
    await clock.advance(100); // the back-off
    expect(op).toHaveBeenCalledTimes(1);
    await clock.advance(499);
    expect(op).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    expect(call).toMatchObject({ settled: true, value: 'ok' });
    expect(pacer.calls).toEqual(['reserve', 'observeSuccess(headers)', 'reserve', 'observeSuccess(undefined)']);
  });
});

describe('counting calls that end unexpectedly', () => {
  it('a retry refused by a circuit that opened during the back-off counts as a rejection, not a failure', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const call = track(executor.execute(async () => Promise.reject(httpError(429))));
    await clock.advance(0);
    const hold = executor.isolate();
    await clock.advance(100);
    hold.dispose();
    expect(call.error).toBeInstanceOf(CircuitOpenError);
    expect(executor.getStats()).toEqual({ calls: 1, successes: 0, failures: 0, retries: 0, rejections: 1, rateLimited: 1, aborted: 0 });
  });

  const throwing: Array<[string, (controller: AbortController) => never, unknown]> = [
    [
      'an Error',
      () => {
        throw new Error('predicate bug');
      },
      'predicate bug',
    ],
    [
      'undefined',
      () => {
        throw undefined;
      },
      undefined,
    ],
    [
      'an Error after aborting the call',
      (controller) => {
        controller.abort('why');
        throw new Error('predicate bug');
      },
      'predicate bug',
    ],
  ];

  it.each(throwing)('a shouldRetry that throws %s ends the call with that error, counted as a failed call', async (_name, predicate, message) => {
    const controller = new AbortController();
    const executor = createExecutor({ clock: createTestClock(), shouldRetry: () => predicate(controller), ...noPacing });
    const outcome = await executor.execute(fail500, { signal: controller.signal }).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : error),
    );
    expect(outcome).toBe(message);
    expect(executor.getStats()).toEqual({ calls: 1, successes: 0, failures: 1, retries: 0, rejections: 0, rateLimited: 0, aborted: 0 });
  });

  it('an onRetry hook that aborts the call ends it at once, before the back-off, with the abort reason', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const controller = new AbortController();
    const op = vi.fn(async () => Promise.reject(httpError(429)));
    const call = track(executor.execute(op, { signal: controller.signal, onRetry: () => controller.abort('from hook') }));
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'from hook' });
    await clock.advance(1000);
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failures: 0, retries: 0 });
  });

  it('a timed-out attempt is a transient failure, not a rate limit', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 100, logger: (e) => entries.push(e), ...noPacing });
    const call = track(executor.execute(({ attempt }) => (attempt === 1 ? new Promise(() => {}) : 'ok'), { idempotent: true }));
    await clock.advance(100);
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(executor.getStats()).toMatchObject({ rateLimited: 0, retries: 1, successes: 1 });
    expect(entries.map((e) => e.message)).toEqual(['[RateLimit] Transient error. Retrying in 100ms (attempt 1/3)']);
  });
});

describe('the events the circuit hears', () => {
  it('a call an isolated or open circuit refuses only asks it (TRY_ACQUIRE): it reports no result', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, failureThreshold: 1, inspect: inbox.inspect, ...noPacing });
    const hold = executor.isolate();
    await expect(executor.execute(() => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    hold.dispose();
    await failTimes(executor, 1);
    await expect(executor.execute(() => 1)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(inbox.sent()).toEqual(['ISOLATE', 'TRY_ACQUIRE', 'RELEASE', 'FAILURE', 'TRY_ACQUIRE']);
  });

  it('a success is sent only when the circuit has something to forget or counts a rate (a closed circuit is not asked: it admits)', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, inspect: inbox.inspect, ...noPacing });
    await executor.execute(() => 'ok');
    await executor.execute(() => 'ok', { signal: new AbortController().signal });
    expect(inbox.sent()).toEqual([]);
    await failTimes(executor, 1);
    await executor.execute(() => 'ok');
    await executor.execute(() => 'ok');
    expect(inbox.sent()).toEqual(['FAILURE', 'SUCCESS']);
  });

  it('a success from before a reset is not sent', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, failureRate: { kind: 'count', size: 10, threshold: 0.5, minimumCalls: 10 }, inspect: inbox.inspect, ...noPacing });
    const old = pendingCall(executor);
    executor.resetCircuit();
    old.resolve('late');
    await clock.advance(0);
    expect(old.call.value).toBe('late');
    expect(inbox.sent()).toEqual(['RESET']);
  });

  it('a call that ends without a verdict sends IGNORED only to give back its own trial slot', async () => {
    const clock = createTestClock();
    const inbox = circuitInbox();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, inspect: inbox.inspect, ...noPacing });
    const notFound = async (): Promise<never> => Promise.reject(httpError(404));
    // Closed: a 404 says nothing about the server and holds no slot.
    await executor.execute(notFound).catch(() => undefined);
    // A 404 admitted while closed that ends once the circuit is half-open holds no slot either.
    let late!: (error: unknown) => void;
    const stale = track(executor.execute(() => new Promise((_, reject) => (late = reject))));
    await failTimes(executor, 1);
    await clock.advance(1000);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    late(httpError(404));
    await clock.advance(0);
    expect(stale.settled).toBe(true);
    // A trial that gets a 404 gives its slot back.
    await executor.execute(notFound).catch(() => undefined);
    expect(inbox.sent()).toEqual(['FAILURE', 'TRY_ACQUIRE', 'IGNORED']);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
  });

  it('a retry in a circuit that half-opened during its back-off becomes the trial, and its success closes the circuit', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 1, openDurationMs: 50, ...noPacing });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(0);
    await failTimes(executor, 1);
    expect(executor.getCircuitState().state).toBe('open');
    await clock.advance(50);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
    await clock.advance(50);
    expect(call.value).toBe('ok');
    expect(executor.getCircuitState().state).toBe('closed');
  });
});

describe('subscribe() and events that change nothing', () => {
  it('does not call the listener when the circuit took an event but no field of the state changed', async () => {
    const executor = createExecutor({
      clock: createTestClock(),
      failureRate: { kind: 'count', size: 10, threshold: 0.9, minimumCalls: 10 },
      ...noPacing,
    });
    const listener = vi.fn();
    executor.subscribe(listener);
    const snapshot = executor.circuit.getSnapshot();
    await executor.execute(() => 'ok');
    await executor.execute(() => 'ok');
    expect(executor.circuit.getSnapshot()).not.toBe(snapshot);
    expect(listener).not.toHaveBeenCalled();
  });
});
