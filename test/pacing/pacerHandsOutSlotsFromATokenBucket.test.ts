/**
 * The pacer's token bucket: reserve() hands out slots in order, every answer or cancel() ends one, and the bucket
 * refills at the rate up to the burst. Exact values worked out from the documented rules, on a SimulatedClock that
 * only moves when the test moves it.
 */

import { describe, expect, it } from 'vitest';
import { createPacer, type Pacer } from '../../src/pacing/createPacer.js';
import { quota, setup, T0 } from '../support/pacerHelpers.js';

describe('reserve() hands out slots', () => {
  it('hands out slots in order, each wait rounded up to the millisecond', () => {
    const { pacer } = setup({ initialRatePerSecond: 3 });
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 334, 667]);
  });

  it('counts the requests in flight, known rate or not', () => {
    const unknown = setup().pacer;
    for (let i = 0; i < 3; i++) unknown.reserve();
    expect(unknown.getState().inFlight).toBe(3);
    const paced = setup({ initialRatePerSecond: 1 }).pacer;
    for (let i = 0; i < 3; i++) paced.reserve();
    expect(paced.getState().inFlight).toBe(3);
  });
});

describe('the pacer counts the requests in flight and the 429s', () => {
  const enders: Record<string, (pacer: Pacer) => void> = {
    cancel: (pacer) => pacer.cancel(),
    observeFailure: (pacer) => pacer.observeFailure(),
    observeSuccess: (pacer) => pacer.observeSuccess(undefined),
    observeRateLimited: (pacer) => pacer.observeRateLimited(null),
  };

  it.each(Object.keys(enders))('%s() ends one request, and never takes the count below 0', (name) => {
    const end = enders[name]!;
    const { pacer } = setup({ initialRatePerSecond: 10 });
    pacer.reserve();
    pacer.reserve();
    end(pacer);
    expect(pacer.getState().inFlight).toBe(1);
    end(pacer);
    end(pacer);
    expect(pacer.getState().inFlight).toBe(0);
  });

  it('counts every 429', () => {
    const { pacer } = setup();
    pacer.observeRateLimited(null);
    pacer.observeRateLimited(null);
    expect(pacer.getState().throttled).toBe(2);
  });
});

describe('cancel()', () => {
  it('gives a slot back, but never fills the bucket beyond the burst', () => {
    const { pacer } = setup({ initialRatePerSecond: 1 });
    pacer.cancel();
    expect(pacer.getState().tokens).toBe(1);
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBe(1000);
  });
});

describe('the bucket refills with time', () => {
  it('adds rate × elapsed seconds, up to the burst', () => {
    const { clock, pacer } = setup({ initialRatePerSecond: 4, adaptiveBurst: 2 });
    expect(pacer.getState()).toMatchObject({ burst: 2, tokens: 1 });
    pacer.reserve();
    pacer.reserve();
    expect(pacer.getState().tokens).toBe(-1);
    clock.increment(100);
    expect(pacer.getState().tokens).toBeCloseTo(-0.6, 12);
    clock.increment(1000);
    expect(pacer.getState().tokens).toBe(2);
  });

  it('a clock that steps back does not drain the bucket', () => {
    let time = T0; // a wall clock that NTP steps back a minute (a SimulatedClock cannot go back)
    const pacer = createPacer({ clock: { now: () => time, setTimeout: () => 0, clearTimeout: () => {} } });
    pacer.observeSuccess(quota(10, 1, 9));
    time = T0 - 60_000;
    expect(pacer.getState().tokens).toBe(9);
    expect(pacer.reserve()).toBe(0);
  });

  it('a clock that reads negative times: only differences of time count, so nothing is held without a hold', () => {
    const time = -10_000; // a clock with another origin (a SimulatedClock cannot go below 0)
    const pacer = createPacer({ clock: { now: () => time, setTimeout: () => 0, clearTimeout: () => {} }, initialRatePerSecond: 1 });
    expect(pacer.reserve()).toBe(0);
    expect(pacer.getState().blockedUntil).toBeNull();
    expect(pacer.reserve()).toBe(1000);
  });
});
