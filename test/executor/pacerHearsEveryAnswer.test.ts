import { describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, createExecutor, createPacer } from '../../src/index.js';
import { createTestClock, flush, httpError, track } from '../support/clock.js';
import { failTimes, timerCountingClock, recordingPacer } from '../support/executorHelpers.js';

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
    expect(executor.getStats()).toMatchObject({ rateLimitedAttempts: 1, failed: 1 });
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
    expect(executor.getStats()).toEqual({ calls: 2, succeeded: 0, failed: 1, retries: 0, rejected: 1, rateLimitedAttempts: 0, aborted: 0 });
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
    expect(executor.getStats()).toMatchObject({ calls: 2, succeeded: 1, aborted: 1, failed: 0 });
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
    expect(executor.getStats()).toMatchObject({ aborted: 1, failed: 0 });
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

describe('stop() and a shared pacer', () => {
  it('a fast-path call that comes back after stop() still ends its reservation in the shared pacer', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer });
    let answer!: (value: string) => void;
    const call = executor.execute(() => new Promise<string>((resolve) => (answer = resolve)));
    expect(pacer.getState().inFlight).toBe(1);
    executor.stop();
    answer('late');
    await expect(call).resolves.toBe('late');
    await flush();
    expect(pacer.getState().inFlight).toBe(0);
  });
});
