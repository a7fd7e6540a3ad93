/**
 * The retry budget's tokens: how many retries it holds at first, how many calls earn one, and that only whole
 * retries can be spent. Exact values, so that a moved boundary fails a test.
 */

import { describe, expect, it } from 'vitest';
// Imported from its module, not from src/index.js: importing the index builds the default rateLimitService, whose
// executor calls createRetryBudget() with no options, so a mutant that rejects the defaults would stop this file from
// loading and Stryker would count it as survived with no test run. From here the tests run and fail.
import { createRetryBudget, type RetryBudget } from '../../src/pacing/createRetryBudget.js';

/** Spends until the budget says no (giving up at 1000, so a budget that never empties fails instead of hanging). */
function spendAll(budget: RetryBudget): number {
  let spent = 0;
  while (spent < 1000 && budget.trySpend()) spent++;
  return spent;
}

describe('the retry budget earns and spends whole retries', () => {
  it('by default holds 10 retries and earns one per 5 calls', () => {
    const budget = createRetryBudget();
    expect(budget.available()).toBe(10);
    expect(spendAll(budget)).toBe(10);
    for (let i = 0; i < 4; i++) budget.earn();
    expect(budget.trySpend()).toBe(false);
    budget.earn();
    expect(budget.available()).toBe(1);
    expect(budget.trySpend()).toBe(true);
  });

  it('an option left undefined takes its default', () => {
    const budget = createRetryBudget({ ratio: undefined, burst: undefined });
    expect(budget.available()).toBe(10);
  });

  it('spends at exactly one token', () => {
    const budget = createRetryBudget({ ratio: 0.5, burst: 1 });
    expect(budget.trySpend()).toBe(true);
    budget.earn();
    budget.earn();
    expect(budget.available()).toBe(1);
    expect(budget.trySpend()).toBe(true);
    expect(budget.trySpend()).toBe(false);
  });

  it('available() counts whole retries only', () => {
    const budget = createRetryBudget({ ratio: 0.5, burst: 2 });
    expect(spendAll(budget)).toBe(2);
    budget.earn();
    expect(budget.available()).toBe(0);
    expect(budget.trySpend()).toBe(false);
    budget.earn();
    expect(budget.available()).toBe(1);
  });

  it('earning stops at the burst, even a fractional one', () => {
    const budget = createRetryBudget({ ratio: 1, burst: 2.5 });
    expect(budget.available()).toBe(2);
    expect(spendAll(budget)).toBe(2); // 0.5 left
    budget.earn();
    budget.earn();
    budget.earn(); // 0.5 + 3 capped at 2.5
    expect(spendAll(budget)).toBe(2);
  });

  it('ratio 0 and burst 0 are allowed: no retry is ever earned', () => {
    const budget = createRetryBudget({ ratio: 0, burst: 0 });
    for (let i = 0; i < 100; i++) budget.earn();
    expect(budget.available()).toBe(0);
    expect(budget.trySpend()).toBe(false);
  });

  it('ratio 1 is allowed: every call earns a retry', () => {
    const budget = createRetryBudget({ ratio: 1, burst: 5 });
    expect(spendAll(budget)).toBe(5);
    budget.earn();
    expect(budget.trySpend()).toBe(true);
  });
});
