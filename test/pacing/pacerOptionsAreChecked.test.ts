/**
 * createPacer() options: what each one defaults to, the range it accepts, and the error a bad value throws at
 * construction, naming the option and the value.
 */

import { describe, expect, it, vi } from 'vitest';
import { createPacer, type PacerOptions } from '../../src/pacing/createPacer.js';
import { createTestClock } from '../support/clock.js';
import { setup, T0 } from '../support/pacerHelpers.js';

describe('createPacer options: defaults, ranges and checks', () => {
  it('without options: no rate known, nothing held back', () => {
    const { pacer } = setup();
    expect(pacer.getState()).toEqual({
      source: 'unknown',
      ratePerSecond: Number.POSITIVE_INFINITY,
      burst: Number.POSITIVE_INFINITY,
      tokens: Number.POSITIVE_INFINITY,
      blockedUntil: null,
      throttled: 0,
      inFlight: 0,
      ceilingPerSecond: Number.POSITIVE_INFINITY,
      lastAcceptedAt: null,
    });
  });

  it('initialRatePerSecond starts an adaptive rate with a burst of adaptiveBurst (default 1) and one token', () => {
    expect(setup({ initialRatePerSecond: 10 }).pacer.getState()).toMatchObject({ source: 'adaptive', ratePerSecond: 10, burst: 1, tokens: 1 });
    expect(setup({ initialRatePerSecond: 10, adaptiveBurst: 5 }).pacer.getState()).toMatchObject({ burst: 5, tokens: 1 });
  });

  it('initialRatePerSecond: null is the same as leaving it out', () => {
    expect(setup({ initialRatePerSecond: null }).pacer.getState().source).toBe('unknown');
  });

  it('accepts every option at once', () => {
    const all: Required<Omit<PacerOptions, 'shareAcrossTabs'>> = {
      headroom: 0.9,
      decrease: 0.9,
      increasePerSecond: 1,
      minRatePerSecond: 1,
      initialRatePerSecond: 5,
      adaptiveBurst: 2,
      maxWaitMs: 1000,
      clock: createTestClock(),
      random: () => 0.5,
    };
    expect(createPacer(all).getState()).toMatchObject({ source: 'adaptive', ratePerSecond: 5, burst: 2 });
  });

  it('without a clock, paces on the system clock', () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const pacer = createPacer({ initialRatePerSecond: 1 });
      expect(pacer.reserve()).toBe(0);
      expect(pacer.reserve()).toBe(1000);
      vi.advanceTimersByTime(1000);
      expect(pacer.getState().tokens).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  // [option, lowest allowed, highest allowed, just below, just above]
  const ranges: [keyof PacerOptions, number, number, number, number][] = [
    ['headroom', 0.01, 1, 0.009, 1.001],
    ['decrease', 0.01, 1, 0.009, 1.001],
    ['increasePerSecond', 0, 1e6, -0.001, 1000001],
    ['minRatePerSecond', 0.001, 1e9, 0.0009, 1000000001],
    ['adaptiveBurst', 1, 1e6, 0.999, 1000001],
    ['maxWaitMs', 0, 1e12, -1, 1000000000001],
    ['initialRatePerSecond', 0.5, 1e9, 0.499, 1000000001], // the lowest is minRatePerSecond (default 0.5)
  ];

  it.each(ranges)('%s accepts %s and %s, both included', (option, min, max) => {
    expect(() => createPacer({ [option]: min })).not.toThrow();
    expect(() => createPacer({ [option]: max })).not.toThrow();
  });

  it.each(ranges)('%s: a RangeError naming the option, the range and the value', (option, min, max, below, above) => {
    for (const bad of [below, above, Number.NaN, Number.POSITIVE_INFINITY]) {
      const attempt = (): unknown => createPacer({ [option]: bad });
      expect(attempt).toThrow(RangeError);
      expect(attempt).toThrow(`xstate-circuit-breaker: pacer option "${option}" must be >= ${min} and <= ${max}, got ${bad}.`);
    }
  });

  it('a value that is not a number: a TypeError naming the option and the value', () => {
    const attempt = (): unknown => createPacer({ decrease: '0.5' as never });
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow('xstate-circuit-breaker: pacer option "decrease" must be a number, got "0.5".');
  });

  it.each([
    [null, 'null'],
    [5, '5'],
  ])('options %s: a TypeError that says what createPacer() got', (value, shown) => {
    const attempt = (): unknown => createPacer(value as never);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(`xstate-circuit-breaker: createPacer() options must be an object, got ${shown}.`);
  });

  it('an unknown option: a TypeError naming it and listing the known ones', () => {
    expect(() => createPacer({ headrom: 0.5 } as PacerOptions)).toThrow(
      'xstate-circuit-breaker: unknown pacer option "headrom". Known options: headroom, decrease, increasePerSecond, minRatePerSecond, initialRatePerSecond, adaptiveBurst, maxWaitMs, clock, random, shareAcrossTabs.',
    );
  });

  const now = (): number => T0;
  const setTimeout = (): number => 1;
  const clearTimeout = (): void => {};
  it.each([
    ['null', null, 'null'],
    ['a function', Object.assign(() => {}, { now, setTimeout, clearTimeout }), 'a function'],
    ['no now()', { setTimeout, clearTimeout }, 'an object'],
    ['no setTimeout()', { now, clearTimeout }, 'an object'],
    ['no clearTimeout()', { now, setTimeout }, 'an object'],
  ])('clock with %s: a TypeError saying what a clock needs', (_label, clock, shown) => {
    const attempt = (): unknown => createPacer({ clock: clock as never });
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(
      `xstate-circuit-breaker: pacer option "clock" must be an object with now(), setTimeout() and clearTimeout(), got ${shown}.`,
    );
  });

  it('a clock with now(), setTimeout() and clearTimeout() is used', () => {
    const pacer = createPacer({ clock: { now, setTimeout, clearTimeout }, initialRatePerSecond: 1 });
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBe(1000);
  });
});
