/**
 * The pacer's arithmetic, boundaries and option checks, pinned to exact values so that a flipped operator, a moved
 * boundary or an emptied message fails a test (see docs/mutation.md). Every number here is worked out from the
 * documented rules, on a SimulatedClock that only moves when the test moves it.
 */
import { describe, expect, it, vi } from 'vitest';
// Imported from its module, not from src/index.js: importing the index builds the default rateLimitService (an
// executor with its own pacer and retry budget), so a mutant that makes createPacer() reject its defaults would stop
// this file from loading and Stryker would count it as survived with no test run. From here the tests run and fail.
import { createPacer, type Pacer, type PacerOptions } from '../../src/pacing/createPacer.js';
import { createTestClock } from '../support/clock.js';

const T0 = 1_700_000_000_000;

/** IETF draft-06 headers: a quota of `limit` per `windowS` seconds, and `remaining` left when given. */
function quota(limit: number, windowS: number, remaining?: number): Headers {
  const headers = new Headers({ 'RateLimit-Limit': String(limit), 'RateLimit-Policy': `${limit};w=${windowS}` });
  if (remaining !== undefined) headers.set('RateLimit-Remaining', String(remaining));
  return headers;
}

/** X-RateLimit headers with no window: `remaining` left until a reset `resetS` seconds from now. */
function untilReset(remaining: number, resetS: number): Headers {
  return new Headers({ 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset-After': String(resetS) });
}

function setup(options: PacerOptions = {}): { clock: ReturnType<typeof createTestClock>; pacer: Pacer } {
  const clock = createTestClock(T0);
  return { clock, pacer: createPacer({ clock, ...options }) };
}

/**
 * A server that throttles without rate-limit headers: a first 429 at T0, then one accepted request at each of
 * `acceptedAt` (ms after T0), then a 429 at the last of them. Returns the pacer after that second 429.
 */
function throttledThenAccepted(acceptedAt: readonly number[], options: PacerOptions = {}): Pacer {
  const { clock, pacer } = setup(options);
  pacer.observeRateLimited(null);
  let at = 0;
  for (const t of acceptedAt) {
    clock.increment(t - at);
    at = t;
    pacer.observeSuccess(undefined);
  }
  pacer.observeRateLimited(null);
  return pacer;
}

describe('rate and burst from rate-limit headers', () => {
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

describe('tokens follow RateLimit-Remaining', () => {
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

describe('blocked until the quota resets', () => {
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

describe('reserve', () => {
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

describe('in-flight accounting', () => {
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

describe('cancel', () => {
  it('gives a slot back, but never fills the bucket beyond the burst', () => {
    const { pacer } = setup({ initialRatePerSecond: 1 });
    pacer.cancel();
    expect(pacer.getState().tokens).toBe(1);
    expect(pacer.reserve()).toBe(0);
    expect(pacer.reserve()).toBe(1000);
  });
});

describe('refill', () => {
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

describe('adaptive rate (429s without rate-limit headers)', () => {
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

describe('additive increase', () => {
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

describe('options', () => {
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
