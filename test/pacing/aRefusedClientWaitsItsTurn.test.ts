import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/index.js';
import { createTestClock } from '../support/clock.js';

/** What the pacer tells the executor about a 429: "slow down, the server serves" (isServing) or "this is failing". */

const stated = (remaining: number): Headers =>
  new Headers({ 'RateLimit-Limit': '10', 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': '1', 'RateLimit-Policy': '10;w=1' });

describe('a client the server turns away', () => {
  it('waits its turn for 30 s while the server states its limit, even if it was never served (others use the quota)', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    pacer.reserve();
    pacer.observeRateLimited(stated(0), 1000);
    expect(pacer.isServing!()).toBe(true);
    clock.increment(29_000);
    pacer.reserve();
    pacer.observeRateLimited(stated(0), 1000);
    expect(pacer.isServing!()).toBe(true);
    clock.increment(1_001);
    expect(pacer.isServing!()).toBe(false);
  });

  it('starts a new 30 s turn after each request the server accepts', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    pacer.reserve();
    pacer.observeRateLimited(stated(0), 1000);
    clock.increment(20_000);
    pacer.reserve();
    pacer.observeSuccess(stated(3));
    clock.increment(5_000);
    pacer.reserve();
    pacer.observeRateLimited(stated(0), 1000);
    clock.increment(29_000);
    expect(pacer.isServing!()).toBe(true);
    clock.increment(1_001);
    expect(pacer.isServing!()).toBe(false);
  });

  it('is failing, not waiting, on bare 429s from a server that never served it', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    for (let i = 0; i < 5; i++) pacer.reserve();
    for (let i = 0; i < 5; i++) pacer.observeRateLimited(new Headers(), null);
    expect(pacer.isServing!()).toBe(false);
    // And it learnt no rate from them: a server that serves no one is not paced, it is an outage for the circuit.
    expect(pacer.getState().source).toBe('unknown');
  });

  it('after being served, paces below the rate it was sending at from the first bare 429, so its retries have slots', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    // 10 requests within 100 ms: sending at 100 per second; the first ones are accepted.
    for (let i = 0; i < 10; i++) {
      expect(pacer.reserve()).toBe(0);
      clock.increment(10);
    }
    for (let i = 0; i < 4; i++) pacer.observeSuccess(undefined);
    pacer.observeRateLimited(new Headers(), null);
    const state = pacer.getState();
    expect(state.source).toBe('adaptive');
    expect(state.ratePerSecond).toBeCloseTo(70, 5);
    expect(pacer.isServing!()).toBe(true);
  });

  it('does not take a 5xx as service: a 429 after nothing but 5xx answers spends retries and counts', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 10 });
    pacer.reserve();
    pacer.observeSuccess(new Headers(), false);
    pacer.reserve();
    pacer.observeRateLimited(new Headers(), null);
    expect(pacer.getState().lastAcceptedAt).toBeNull();
    expect(pacer.isServing!()).toBe(false);
  });

  it('offers no free retries while it knows no rate, however recently the server accepted a request', () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    pacer.reserve();
    pacer.observeSuccess(undefined);
    expect(pacer.getState()).toMatchObject({ source: 'unknown', lastAcceptedAt: clock.now() });
    expect(pacer.isServing!()).toBe(false);
  });
});
