/**
 * createRetryBudget() options: a bad value throws at construction, a RangeError or a TypeError naming the option and
 * the value.
 */

import { describe, expect, it } from 'vitest';
// Imported from its module, not from src/index.js: importing the index builds the default rateLimitService, whose
// executor calls createRetryBudget() with no options, so a mutant that rejects the defaults would stop this file from
// loading and Stryker would count it as survived with no test run. From here the tests run and fail.
import { createRetryBudget, type RetryBudgetOptions } from '../../src/pacing/createRetryBudget.js';

describe('createRetryBudget options are checked', () => {
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
