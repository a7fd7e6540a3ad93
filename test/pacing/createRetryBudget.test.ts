import { describe, expect, it, vi } from 'vitest';
import { createExecutor, createRetryBudget, isRetriesExhaustedError } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

describe('retry budget', () => {
  it('allows the burst, then one retry per 1/ratio calls', () => {
    const budget = createRetryBudget({ ratio: 0.25, burst: 2 });
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(false);
    for (let i = 0; i < 3; i++) budget.earn();
    expect(budget.trySpend()).toBe(false);
    budget.earn();
    expect(budget.trySpend()).toBe(true);
  });

  it('caps saved retries at the burst', () => {
    const budget = createRetryBudget({ ratio: 1, burst: 3 });
    for (let i = 0; i < 100; i++) budget.earn();
    expect(budget.available()).toBe(3);
  });

  it('stops retrying unscheduled failures once spent, and gives up with RetriesExhaustedError', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', retryBudget: createRetryBudget({ ratio: 0, burst: 1 }) });
    const op = vi.fn(async () => {
      throw httpError(503);
    });
    const first = track(executor.execute(op, { idempotent: true }));
    await clock.advance(100);
    await clock.advance(200);
    expect(op).toHaveBeenCalledTimes(2);
    expect(isRetriesExhaustedError(first.error)).toBe(true);
    expect(first.error).toMatchObject({ attempts: 2 });
  });

  it('does not charge retries the server scheduled with Retry-After', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', retryBudget: createRetryBudget({ ratio: 0, burst: 0 }) });
    const call = track(executor.execute(async ({ attempt }) => (attempt < 3 ? Promise.reject(httpError(429, { 'Retry-After': '1' })) : 'ok')));
    await clock.advance(1000);
    await clock.advance(1000);
    expect(call.value).toBe('ok');
  });

  it('validates its options', () => {
    expect(() => createRetryBudget({ ratio: 2 })).toThrow(/"ratio"/);
    expect(() => createRetryBudget({ burst: -1 })).toThrow(/"burst"/);
    expect(() => createExecutor({ retryBudget: 3 as never })).toThrow(/"retryBudget"/);
  });
});
