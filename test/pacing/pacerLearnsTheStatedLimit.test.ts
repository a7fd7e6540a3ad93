/**
 * What a pacer learns from a server that states its limit in rate-limit headers: the rate, the burst, the tokens
 * left and a hold until the quota resets. Exact values worked out from the documented rules, on a SimulatedClock
 * that only moves when the test moves it.
 */

import { describe, expect, it } from 'vitest';
import { quota, setup, T0, untilReset } from '../support/pacerHelpers.js';

describe('the pacer reads rate and burst from rate-limit headers', () => {
  it('a stated window gives rate = limit / window × headroom and burst = floor(limit × headroom), starting with one token', () => {
    const { pacer } = setup({ headroom: 0.9 });
    pacer.observeSuccess(quota(100, 60));
    const state = pacer.getState();
    expect(state.source).toBe('headers');
    expect(state.ratePerSecond).toBeCloseTo(1.5, 12);
    expect(state.burst).toBe(90);
    expect(state.tokens).toBe(1); // no Remaining: the bucket starts with one token, not a full burst
  });

  it('the default headroom is 0.98', () => {
    const { pacer } = setup();
    pacer.observeSuccess(quota(100, 1));
    expect(pacer.getState()).toMatchObject({ ratePerSecond: 98, burst: 98 });
  });

  it('the burst is at least 1 when limit × headroom rounds down to 0', () => {
    const { pacer } = setup({ headroom: 0.5 });
    pacer.observeSuccess(quota(1, 1));
    expect(pacer.getState()).toMatchObject({ ratePerSecond: 0.5, burst: 1 });
  });

  it('without a window, spreads what remains evenly until the reset: remaining / reset × headroom, burst 1', () => {
    const { pacer } = setup();
    pacer.observeSuccess(untilReset(20, 10));
    const state = pacer.getState();
    expect(state.source).toBe('headers');
    expect(state.ratePerSecond).toBeCloseTo(1.96, 12);
    expect(state.burst).toBe(1);
    expect(state.tokens).toBe(1);
  });

  it('with nothing remaining, still lets one request through per reset (never a rate of 0)', () => {
    const { pacer } = setup();
    pacer.observeSuccess(untilReset(0, 1));
    expect(pacer.getState().ratePerSecond).toBeCloseTo(0.98, 12);
  });

  it.each([
    ['a limit of 0', quota(0, 60, 20)],
    ['a window of 0', quota(10, 0, 20)],
    ['a window with no limit', new Headers({ RateLimit: '"default";r=20;t=10', 'RateLimit-Policy': '"default";w=60' })],
  ])('%s is no rate: remaining / reset is used instead', (_label, headers) => {
    const { pacer } = setup();
    if (!headers.has('RateLimit')) headers.set('RateLimit-Reset', '10');
    pacer.observeSuccess(headers);
    expect(pacer.getState().ratePerSecond).toBeCloseTo(1.96, 12);
    expect(pacer.getState().burst).toBe(1);
  });

  it('a reset exactly maxWaitMs away is believed; one a millisecond further is not', () => {
    const { pacer } = setup({ maxWaitMs: 200_000 });
    pacer.observeSuccess(untilReset(20, 200));
    expect(pacer.getState().source).toBe('headers');
    const { pacer: further } = setup({ maxWaitMs: 200_000 });
    further.observeSuccess(untilReset(20, 200.001));
    expect(further.getState().source).toBe('unknown');
  });

  it('a maxWaitMs below 120 s caps holds only: resets up to 120 s away are still believed', () => {
    const { pacer } = setup({ maxWaitMs: 10_000 });
    pacer.observeSuccess(untilReset(20, 120));
    expect(pacer.getState().source).toBe('headers');
    const { pacer: further } = setup({ maxWaitMs: 10_000 });
    further.observeSuccess(untilReset(20, 120.001));
    expect(further.getState().source).toBe('unknown');
  });

  it('maxWaitMs defaults to 120 000 ms', () => {
    const { pacer } = setup();
    pacer.observeSuccess(untilReset(20, 120));
    expect(pacer.getState().source).toBe('headers');
    const { pacer: further } = setup();
    further.observeSuccess(untilReset(20, 120.001));
    expect(further.getState().source).toBe('unknown');
  });

  it.each([
    ['a limit alone', new Headers({ 'X-RateLimit-Limit': '100' })],
    ['a reset alone', new Headers({ 'X-RateLimit-Reset-After': '10' })],
    ['a remaining count alone', new Headers({ 'RateLimit-Remaining': '5' })],
    ['a remaining count with a reset of 0', untilReset(5, 0)],
  ])('%s sets no rate', (_label, headers) => {
    const { pacer } = setup();
    pacer.observeSuccess(headers);
    expect(pacer.getState()).toMatchObject({ source: 'unknown', ratePerSecond: Number.POSITIVE_INFINITY });
    expect(pacer.reserve()).toBe(0);
  });
});

describe('the tokens follow RateLimit-Remaining', () => {
  it('the first response sets the tokens to what remains less the requests still in flight', () => {
    const { pacer } = setup();
    for (let i = 0; i < 3; i++) pacer.reserve();
    pacer.observeSuccess(quota(10, 1, 9)); // ends one: 2 still in flight, which the server has not counted yet
    expect(pacer.getState()).toMatchObject({ tokens: 7, inFlight: 2 });
  });

  it('never below 0 when more are in flight than remain', () => {
    const { pacer } = setup();
    for (let i = 0; i < 5; i++) pacer.reserve();
    pacer.observeSuccess(quota(10, 1, 1));
    expect(pacer.getState().tokens).toBe(0);
  });

  it('a later response can lower the tokens but never raise them', () => {
    const { pacer } = setup();
    pacer.observeSuccess(quota(10, 1, 9));
    for (let i = 0; i < 5; i++) expect(pacer.reserve()).toBe(0);
    expect(pacer.getState().tokens).toBe(4);
    pacer.observeSuccess(quota(10, 1, 9)); // counted before the other four reached the server: 9 - 4 = 5 left
    expect(pacer.getState().tokens).toBe(4);
    pacer.observeSuccess(quota(10, 1, 4)); // 4 - 3 in flight = 1 left
    expect(pacer.getState().tokens).toBe(1);
  });
});

describe('a used-up quota holds requests until it resets', () => {
  it('holds every request until the reset when nothing remains and no window is stated', () => {
    const { clock, pacer } = setup();
    pacer.observeRateLimited(untilReset(0, 10));
    expect(pacer.getState().blockedUntil).toBe(T0 + 10_000);
    // The rate (0.5/s, the minimum) alone would send these after 2 s and 4 s; the hold keeps both to the reset.
    expect(pacer.reserve()).toBe(10_000);
    expect(pacer.getState().blockedUntil).toBe(T0 + 10_000);
    expect(pacer.reserve()).toBe(10_000);
    clock.increment(9_999);
    expect(pacer.getState().blockedUntil).toBe(T0 + 10_000);
    clock.increment(1);
    expect(pacer.reserve()).toBe(0);
    expect(pacer.getState().blockedUntil).toBeNull();
  });

  it('a Retry-After shorter than the reset shortens the hold; a longer one does not lengthen it', () => {
    const shorter = setup().pacer;
    shorter.observeRateLimited(untilReset(0, 30), 5_000);
    expect(shorter.getState().blockedUntil).toBe(T0 + 5_000);
    expect(shorter.reserve()).toBe(5_000);
    const longer = setup().pacer;
    longer.observeRateLimited(untilReset(0, 30), 60_000);
    expect(longer.getState().blockedUntil).toBe(T0 + 30_000);
  });

  it('does not hold while requests remain', () => {
    const { pacer } = setup();
    pacer.observeRateLimited(untilReset(5, 30));
    expect(pacer.getState().blockedUntil).toBeNull();
    expect(pacer.reserve()).toBe(0);
  });

  it('does not hold when a window is stated: the rate already spaces the requests', () => {
    const { pacer } = setup();
    const headers = quota(100, 60, 0);
    headers.set('RateLimit-Reset', '30');
    pacer.observeSuccess(headers);
    expect(pacer.getState().blockedUntil).toBeNull();
    expect(pacer.reserve()).toBe(613); // one token at 100/60 × 0.98 per second
  });
});

describe('a limit stated anew takes effect from the moment it is read', () => {
  it('a lower stated rate applies from the moment it is learned; the time before it refills at the old rate', () => {
    const { clock, pacer } = setup();
    pacer.observeSuccess(quota(100, 10, 0)); // 9.8/s, none left
    expect(pacer.getState().tokens).toBe(0);
    clock.increment(100);
    pacer.observeSuccess(quota(10, 10)); // 0.98/s from now on
    const state = pacer.getState();
    expect(state.ratePerSecond).toBeCloseTo(0.98, 12);
    expect(state.ceilingPerSecond).toBeCloseTo(0.98, 12);
    expect(state.burst).toBe(9);
    expect(state.tokens).toBeCloseTo(0.98, 12);
  });

  it('a higher stated rate raises the ceiling, not the rate: other clients may be using the rest', () => {
    const { clock, pacer } = setup();
    pacer.observeSuccess(quota(10, 10, 0)); // 0.98/s, none left
    clock.increment(1000);
    // The ceiling is 9.8/s; the rate climbs there only by additive increase: this success adds 9.8 / 20 / 1.
    pacer.observeSuccess(quota(100, 10));
    const state = pacer.getState();
    expect(state.ratePerSecond).toBeCloseTo(1.47, 12);
    expect(state.ceilingPerSecond).toBeCloseTo(9.8, 12);
    expect(state.burst).toBe(14); // the stated burst scaled to the rate: floor(98 × 1.47 / 9.8)
    expect(state.tokens).toBeCloseTo(0.98, 12);
  });

  it('a smaller burst caps the tokens at once', () => {
    const { pacer } = setup();
    pacer.observeSuccess(quota(10, 1, 9));
    expect(pacer.getState().tokens).toBe(9);
    pacer.observeSuccess(quota(1, 1));
    expect(pacer.getState()).toMatchObject({ burst: 1, tokens: 1 });
  });
});
