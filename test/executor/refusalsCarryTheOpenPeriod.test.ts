import { describe, expect, it } from 'vitest';
import { CircuitOpenError, createExecutor, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { T0, noPacing, failTimes, pendingCall } from '../support/executorHelpers.js';

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
    expect(executor.getStats().rejected).toBe(3);
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
