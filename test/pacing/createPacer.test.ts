import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/index.js';
import { createTestClock } from '../support/clock.js';

describe('createPacer', () => {
  it('sends freely until the server says something', () => {
    const pacer = createPacer({ clock: createTestClock() });
    for (let i = 0; i < 1000; i++) expect(pacer.reserve()).toBe(0);
    pacer.observeSuccess(undefined);
    expect(pacer.getState()).toMatchObject({ source: 'unknown', ratePerSecond: Number.POSITIVE_INFINITY });
  });

  it('learns rate and burst from RateLimit-Policy and spaces requests just under it', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, headroom: 0.95 });
    pacer.observeSuccess(new Headers({ 'RateLimit-Limit': '10', 'RateLimit-Remaining': '9', 'RateLimit-Reset': '1', 'RateLimit-Policy': '10;w=0.1' }));
    const state = pacer.getState();
    expect(state.source).toBe('headers');
    expect(state.ratePerSecond).toBeCloseTo(95, 5);
    expect(state.burst).toBe(9);
    // As many at once as the server said remain (9), then a slot every ~10.5 ms.
    const waits = Array.from({ length: 12 }, () => pacer.reserve());
    expect(waits.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    for (let i = 9; i < 12; i++) expect(Math.abs(waits[i]! - ((i - 8) / 95) * 1000)).toBeLessThanOrEqual(1);
    clock.increment(1000);
    expect(pacer.getState().tokens).toBe(9);
  });

  it('never lets more through than the server says remain', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const headers = (remaining: number): Headers =>
      new Headers({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': String(remaining), 'RateLimit-Policy': '100;w=60' });
    pacer.observeSuccess(headers(50));
    clock.increment(60_000);
    pacer.observeSuccess(headers(2));
    expect(pacer.getState().tokens).toBe(2);
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBeGreaterThan(0);
  });

  it('holds everything until the reset when the quota is used up and no window is stated', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    pacer.observeRateLimited(new Headers({ 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.floor(clock.now() / 1000) + 30) }));
    const wait = pacer.reserve();
    expect(wait).toBeGreaterThan(29_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it('holds for maxWaitMs at most, yet still paces by a reset further away than that', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, maxWaitMs: 5_000 });
    // 50 left for 100 s: about one every 2 s, believed although 100 s is past maxWaitMs.
    pacer.observeSuccess(new Headers({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '50', 'RateLimit-Reset': '100' }));
    expect(pacer.reserve()).toBe(0);
    const spacing = pacer.reserve();
    expect(spacing).toBeGreaterThan(1_900);
    expect(spacing).toBeLessThanOrEqual(2_100);
    pacer.cancel();
    pacer.cancel();

    pacer.observeRateLimited(new Headers({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '100' }));
    const held = pacer.reserve();
    expect(held).toBeGreaterThan(4_000);
    expect(held).toBeLessThanOrEqual(5_000);
  });

  it('without headers, paces just under the rate the server accepted while throttling', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, decrease: 0.95 });
    pacer.observeRateLimited(null); // first 429: nothing measured yet
    expect(pacer.getState().source).toBe('unknown');
    // The server accepts one request every 10 ms (100/s), then says 429 again.
    for (let i = 0; i < 20; i++) {
      clock.increment(10);
      pacer.observeSuccess(undefined);
    }
    pacer.observeRateLimited(null);
    const { source, ratePerSecond } = pacer.getState();
    expect(source).toBe('adaptive');
    expect(ratePerSecond).toBeGreaterThan(85);
    expect(ratePerSecond).toBeLessThan(100);
  });

  it('raises an adaptive rate slowly once 429s stop', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 10, increasePerSecond: 5 });
    const before = pacer.getState().ratePerSecond;
    for (let i = 0; i < 10; i++) {
      clock.increment(100);
      pacer.observeSuccess(undefined);
    }
    expect(pacer.getState().ratePerSecond).toBe(before); // no 429 seen yet: nothing to measure, nothing to raise
    pacer.observeRateLimited(null);
    clock.increment(1500);
    const after429 = pacer.getState().ratePerSecond;
    for (let i = 0; i < 10; i++) {
      clock.increment(100);
      pacer.observeSuccess(undefined);
    }
    expect(pacer.getState().ratePerSecond).toBeGreaterThan(after429);
    expect(pacer.getState().ratePerSecond).toBeLessThan(after429 + 6);
  });

  it('cancel() gives a reserved slot back', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 1 });
    expect(pacer.reserve()).toBe(0);
    const wait = pacer.reserve();
    expect(wait).toBe(1000);
    pacer.cancel();
    expect(pacer.reserve()).toBe(1000);
  });

  it('validates its options', () => {
    expect(() => createPacer({ headroom: 0 })).toThrow(/"headroom"/);
    expect(() => createPacer({ headroom: Number.NaN })).toThrow(RangeError);
    expect(() => createPacer({ decrease: '0.5' as never })).toThrow(TypeError);
    expect(() => createPacer({ initialRatePerSecond: -1 })).toThrow(/"initialRatePerSecond"/);
    expect(() => createPacer(null as never)).toThrow(TypeError);
  });
});

describe('createPacer measuring fast servers', () => {
  it('measures an accepted rate above its sample ring (128 per 500 ms window)', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, decrease: 1 });
    pacer.observeRateLimited(null);
    // The server accepts 1000 requests per second: one every millisecond, 400 of them.
    for (let i = 0; i < 400; i++) {
      clock.increment(1);
      pacer.observeSuccess(undefined);
    }
    pacer.observeRateLimited(null);
    expect(pacer.getState().ratePerSecond).toBeGreaterThan(950);
    expect(pacer.getState().ratePerSecond).toBeLessThan(1050);
  });
});
