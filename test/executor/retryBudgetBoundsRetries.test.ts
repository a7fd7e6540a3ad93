import { describe, expect, it, vi } from 'vitest';
import { createExecutor, createRetryBudget, RetriesExhaustedError } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { failTimes } from '../support/executorHelpers.js';

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
