/**
 * A server that answers 429 without rate-limit headers: the pacer measures the rate the server accepted since it
 * started throttling and paces just under it; a stated rate is cut too, since the limit may be shared. Exact values
 * worked out from the documented rules, on a SimulatedClock that only moves when the test moves it.
 */

import { describe, expect, it } from 'vitest';
import { quota, setup, throttledThenAccepted } from '../support/pacerHelpers.js';

describe('after 429s without rate-limit headers, the pacer slows to the rate the server accepts', () => {
  it('paces at decrease × the rate the server accepted since it started throttling (default decrease 0.9)', () => {
    const accepted = Array.from({ length: 10 }, (_, i) => (i + 1) * 10); // 10 in 100 ms: 100/s
    expect(throttledThenAccepted(accepted).getState()).toMatchObject({ source: 'adaptive', ratePerSecond: 90, burst: 1, tokens: 1 });
    expect(throttledThenAccepted(accepted, { decrease: 0.5 }).getState().ratePerSecond).toBe(50);
  });

  it('never paces below minRatePerSecond', () => {
    const accepted = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
    expect(throttledThenAccepted(accepted, { decrease: 0.1, minRatePerSecond: 20 }).getState().ratePerSecond).toBe(20);
  });

  it('needs 3 accepted requests since the first 429 to measure', () => {
    expect(throttledThenAccepted([10, 20]).getState().source).toBe('unknown');
    expect(throttledThenAccepted([10, 20, 30]).getState()).toMatchObject({ source: 'adaptive', ratePerSecond: 90 });
  });

  it('measures over the last 500 ms only, not since the first 429', () => {
    // 5 accepted 200 ms apart, then 5 accepted 50 ms apart; the last 500 ms (750, 1250] hold 7 of them: 14/s.
    const pacer = throttledThenAccepted([200, 400, 600, 800, 1000, 1050, 1100, 1150, 1200, 1250]);
    expect(pacer.getState().ratePerSecond).toBeCloseTo(12.6, 12);
  });

  it('a request accepted exactly 500 ms ago is outside the window', () => {
    // The window is (100, 600]: 200, 300, 400 and 600 are in it, 100 is not: 4 in 500 ms is 8/s.
    expect(throttledThenAccepted([100, 200, 300, 400, 600]).getState().ratePerSecond).toBeCloseTo(7.2, 12);
  });

  it('a client with fewer than 3 accepted in the last 500 ms measures over the last second', () => {
    // A small share of a shared limit: 200, 500, 800 and 1100 accepted; (600, 1100] holds 2 of them, too few; the last
    // second (100, 1100] holds all 4: 4/s.
    expect(throttledThenAccepted([200, 500, 800, 1100]).getState().ratePerSecond).toBeCloseTo(3.6, 12);
    // Fewer than 3 in the last second too: still nothing measured.
    expect(throttledThenAccepted([50, 1000, 1100], { decrease: 1 }).getState().source).toBe('unknown');
  });

  it('with more accepted than its ring holds, all inside the window, measures over the span the ring covers', () => {
    // 300 accepted 1 ms apart from 1001 to 1300 ms, all inside the window (800, 1300]. The ring keeps the last 128
    // (1173 to 1300 ms): 128 in 127 ms. Counting all 300 over the whole window would read 600/s instead.
    const accepted = Array.from({ length: 300 }, (_, i) => 1001 + i);
    expect(throttledThenAccepted(accepted, { decrease: 1 }).getState().ratePerSecond).toBeCloseTo((128 / 127) * 1000, 9);
  });

  it('measures over at least 20 ms', () => {
    // 3 accepted within 3 ms count as 3 in 20 ms (150/s), not 1000/s.
    expect(throttledThenAccepted([1, 2, 3]).getState().ratePerSecond).toBeCloseTo(135, 12);
  });

  it('a 429 with rate-limit headers that give no rate still measures what the server accepted', () => {
    const { clock, pacer } = setup();
    pacer.observeRateLimited(null);
    for (let i = 0; i < 10; i++) {
      clock.increment(10);
      pacer.observeSuccess(undefined);
    }
    pacer.observeRateLimited(new Headers({ 'X-RateLimit-Limit': '100' }));
    expect(pacer.getState()).toMatchObject({ source: 'adaptive', ratePerSecond: 90 });
  });

  it('a 429 lowers a stated rate too (the limit may be shared): to a guess of its share, then decrease × what was accepted', () => {
    const { clock, pacer } = setup();
    pacer.observeSuccess(quota(10, 1)); // 9.8/s
    // Nothing accepted since the first 429 to measure. The guess at this client's share: one more than accepted since
    // (1) over at least 200 ms, 5/s, which is below 9.8 × 0.7 (and above a third of 9.8).
    pacer.observeRateLimited(null);
    expect(pacer.getState()).toMatchObject({ source: 'headers', ceilingPerSecond: 9.8, ratePerSecond: 5 });
    for (let i = 0; i < 10; i++) {
      clock.increment(10);
      pacer.observeSuccess(undefined);
    }
    pacer.observeRateLimited(null); // 100/s accepted, but never above the rate it paces at: 5 × 0.9
    expect(pacer.getState().source).toBe('headers');
    expect(pacer.getState().ratePerSecond).toBeCloseTo(4.5, 12);
  });

  it('one unmeasured 429 cuts a stated rate at most to a third, however small the guessed share', () => {
    const { pacer } = setup();
    pacer.observeSuccess(quota(100, 1)); // 98/s
    pacer.observeRateLimited(null); // the guess says 5/s; a third of 98/s is the floor
    expect(pacer.getState().ratePerSecond).toBeCloseTo(98 / 3, 12);
  });

  it('without a stated limit an unmeasured 429 keeps 0.7 of the rate (there is no share to guess)', () => {
    const { pacer } = setup({ initialRatePerSecond: 50 });
    pacer.observeRateLimited(null);
    expect(pacer.getState().ratePerSecond).toBeCloseTo(35, 12);
  });

  it('429s answering requests that were in flight when the rate was cut do not cut it again', () => {
    const { pacer } = setup({ initialRatePerSecond: 10 });
    for (let i = 0; i < 4; i++) pacer.reserve();
    pacer.observeRateLimited(null); // cut to 7; the 3 still in flight were sent at the old rate
    pacer.observeRateLimited(null);
    pacer.observeRateLimited(null);
    pacer.observeRateLimited(null);
    expect(pacer.getState().ratePerSecond).toBe(7);
    pacer.reserve();
    pacer.observeRateLimited(null); // sent after the cut: a new congestion
    expect(pacer.getState().ratePerSecond).toBeCloseTo(4.9, 12);
  });
});
