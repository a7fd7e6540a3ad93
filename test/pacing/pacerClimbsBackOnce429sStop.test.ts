/**
 * Once 429s stop, the pacer raises a cut rate again by additive increase, never above a stated rate. Exact values
 * worked out from the documented rules, on a SimulatedClock that only moves when the test moves it.
 */

import { describe, expect, it } from 'vitest';
import { quota, setup } from '../support/pacerHelpers.js';

describe('once 429s stop, the rate climbs back additively', () => {
  it('starts 1 s after the last 429 and adds increasePerSecond / rate per success (default 2 with no stated rate)', () => {
    const { clock, pacer } = setup({ initialRatePerSecond: 10 });
    pacer.observeRateLimited(null); // too few accepted to measure: 10 × 0.7
    expect(pacer.getState().ratePerSecond).toBe(7);
    clock.increment(999);
    pacer.observeSuccess(undefined);
    expect(pacer.getState().ratePerSecond).toBe(7);
    clock.increment(1);
    pacer.observeSuccess(undefined);
    expect(pacer.getState().ratePerSecond).toBeCloseTo(7 + 2 / 7, 12);
  });

  it('below 1 request per second, each success adds the whole increasePerSecond', () => {
    const { clock, pacer } = setup({ initialRatePerSecond: 0.5, increasePerSecond: 3 });
    pacer.observeRateLimited(null);
    clock.increment(1000);
    pacer.observeSuccess(undefined);
    expect(pacer.getState().ratePerSecond).toBe(3.5);
  });

  it('a success whose headers give no rate-limit information also raises it', () => {
    const { clock, pacer } = setup({ initialRatePerSecond: 10 });
    pacer.observeRateLimited(null);
    clock.increment(1000);
    pacer.observeSuccess(new Headers({ 'Content-Type': 'text/plain' }));
    expect(pacer.getState().ratePerSecond).toBeCloseTo(7 + 2 / 7, 12);
  });

  it('a stated rate is climbed back by a twentieth of it per second of successes, never above it', () => {
    const { clock, pacer } = setup();
    pacer.observeSuccess(quota(10, 1)); // 9.8/s
    pacer.observeRateLimited(null); // 5/s, the guessed share
    clock.increment(2000);
    pacer.observeSuccess(undefined);
    expect(pacer.getState().ratePerSecond).toBeCloseTo(5 + 0.49 / 5, 12);
    for (let i = 0; i < 1000; i++) {
      clock.increment(100);
      pacer.observeSuccess(undefined);
    }
    expect(pacer.getState().ratePerSecond).toBeCloseTo(9.8, 12);
  });

  it.each([null, undefined])('a success with headers %s before any 429 changes nothing', (headers) => {
    const { clock, pacer } = setup({ initialRatePerSecond: 10 });
    clock.increment(5000);
    pacer.observeSuccess(headers);
    expect(pacer.getState().ratePerSecond).toBe(10);
  });
});
