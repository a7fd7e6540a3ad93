/**
 * The retry budget's token arithmetic and option checks, pinned to exact values so that a flipped operator or a moved
 * boundary fails a test (see docs/mutation.md).
 */
import { describe, expect, it } from 'vitest';
// Imported from its module, not from src/index.js: importing the index builds the default rateLimitService, whose
// executor calls createRetryBudget() with no options, so a mutant that rejects the defaults would stop this file from
// loading and Stryker would count it as survived with no test run. From here the tests run and fail.
import { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from '../../src/pacing/createRetryBudget.js';

/** Spends until the budget says no (giving up at 1000, so a budget that never empties fails instead of hanging). */
function spendAll(budget: RetryBudget): number {
  let spent = 0;
  while (spent < 1000 && budget.trySpend()) spent++;
  return spent;
}

describe('retry budget arithmetic', () => {
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

describe('retry budget options', () => {
  it.each([-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY])('ratio %s: a RangeError naming the option, range and value', (ratio) => {
    const attempt = (): unknown => createRetryBudget({ ratio });
    expect(attempt).toThrow(RangeError);
    expect(attempt).toThrow(`xstate-circuit-breaker: retry budget option "ratio" must be a number >= 0 and <= 1, got ${ratio}.`);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('burst %s: a RangeError naming the option, range and value', (burst) => {
    const attempt = (): unknown => createRetryBudget({ burst });
    expect(attempt).toThrow(RangeError);
    expect(attempt).toThrow(`xstate-circuit-breaker: retry budget option "burst" must be a finite number >= 0, got ${burst}.`);
  });

  it.each([
    ['ratio', '0.2'],
    ['burst', '10'],
  ])('%s as a string: a TypeError naming the option and the value', (option, value) => {
    const attempt = (): unknown => createRetryBudget({ [option]: value } as RetryBudgetOptions);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(`xstate-circuit-breaker: retry budget option "${option}" must be a number, got "${value}".`);
  });

  it.each([
    [null, 'null'],
    [5, '5'],
  ])('options %s: a TypeError that says what createRetryBudget() got', (value, shown) => {
    const attempt = (): unknown => createRetryBudget(value as never);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(`xstate-circuit-breaker: createRetryBudget() options must be an object, got ${shown}.`);
  });

  it('an unknown option: a TypeError naming it and listing the known ones', () => {
    const attempt = (): unknown => createRetryBudget({ ration: 0.1 } as RetryBudgetOptions);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow('xstate-circuit-breaker: unknown retry budget option "ration". Known options: ratio, burst.');
  });
});
