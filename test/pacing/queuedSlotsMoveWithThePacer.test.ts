/**
 * The line of requests waiting for the pacer's slots (`Pacer.queue()`): a place's time is worked out from its place
 * in line whenever it is read, so it moves as soon as the pacer learns something; and the slow start that keeps a
 * client from sending blind while it knows nothing of the server's limit. On a SimulatedClock that only moves when
 * the test moves it.
 */
import { describe, expect, it, vi } from 'vitest';
import { createPacer, type PacerOptions, type PacerSlot } from '../../src/pacing/createPacer.js';
import { createTestClock } from '../support/clock.js';

/** IETF draft-06 headers: a quota of `limit` per `windowS` seconds, and `remaining` left when given. */
function quota(limit: number, windowS: number, remaining?: number): Headers {
  const headers = new Headers({ 'RateLimit-Limit': String(limit), 'RateLimit-Policy': `${limit};w=${windowS}` });
  if (remaining !== undefined) headers.set('RateLimit-Remaining', String(remaining));
  return headers;
}

function setup(options: PacerOptions = {}) {
  const clock = createTestClock();
  const pacer = createPacer({ clock, ...options });
  return { clock, pacer };
}

/** Takes `n` places; each is `null` (it went at once) or a slot in line. */
function take(pacer: ReturnType<typeof createPacer>, n: number): Array<PacerSlot | null> {
  return Array.from({ length: n }, () => pacer.queue!());
}

describe('places in line', () => {
  it('are spaced by the rate, one interval per place', () => {
    const { pacer } = setup({ initialRatePerSecond: 10 });
    const [first, ...line] = take(pacer, 4);
    // The first takes the one token; the others wait 100, 200 and 300 ms at 10/s.
    expect(first).toBeNull();
    expect(line.map((slot) => slot!.dueInMs())).toEqual([100, 200, 300]);
  });

  it('move later at once when a 429 cuts the rate, and earlier when a place ahead is given back', () => {
    const { pacer } = setup({ initialRatePerSecond: 10 });
    const [, a, b, c] = take(pacer, 4);
    pacer.observeRateLimited(null); // the one sent; too few answers to measure: 10 × 0.7 = 7/s
    expect([a, b, c].map((slot) => slot!.dueInMs())).toEqual([143, 286, 429]);
    const moved = vi.fn();
    c!.onMove = moved;
    a!.cancel();
    expect(moved).toHaveBeenCalledTimes(1);
    expect([b, c].map((slot) => slot!.dueInMs())).toEqual([143, 286]);
  });

  it('are woken when the rate rises by a tenth or more, not for every small rise', () => {
    const { clock, pacer } = setup({ initialRatePerSecond: 10, increasePerSecond: 5 });
    pacer.observeRateLimited(null); // 7/s; additive increase starts 1 s later
    const slots = take(pacer, 3).filter((slot): slot is PacerSlot => slot !== null);
    const moved = vi.fn();
    for (const slot of slots) slot.onMove = moved;
    clock.increment(1000);
    pacer.observeSuccess(undefined); // + 5/7: 7.71/s, a rise of a tenth over 7
    expect(moved).toHaveBeenCalledTimes(slots.length);
    pacer.observeSuccess(undefined); // + 5/7.71: 8.36/s, less than a tenth over 7.71
    expect(moved).toHaveBeenCalledTimes(slots.length);
  });

  it('wait out a hold the server asked for, and go in order after it', () => {
    const { pacer } = setup();
    pacer.observeSuccess(quota(10, 1, 9)); // 9.8/s, 9 left
    pacer.observeRateLimited(new Headers({ ...Object.fromEntries(quota(10, 1, 0)), 'RateLimit-Reset': '1' }), 1000);
    const [a, b] = take(pacer, 2);
    expect(a!.dueInMs()).toBe(1000);
    expect(b!.dueInMs()).toBeGreaterThanOrEqual(a!.dueInMs());
  });

  it('end exactly once: a second take or cancel changes nothing, and the request counts in flight until answered', () => {
    const { clock, pacer } = setup({ initialRatePerSecond: 10 });
    const [, slot] = take(pacer, 2);
    expect(pacer.getState().inFlight).toBe(2);
    clock.increment(100);
    expect(slot!.dueInMs()).toBe(0);
    slot!.take();
    slot!.take();
    slot!.cancel();
    expect(pacer.getState().inFlight).toBe(2);
    expect(pacer.getState().tokens).toBeCloseTo(0, 9);
    pacer.observeSuccess(undefined);
    pacer.observeSuccess(undefined);
    expect(pacer.getState().inFlight).toBe(0);
  });

  it('a cancelled place is no longer in flight and gives no token back (it never took one)', () => {
    const { pacer } = setup({ initialRatePerSecond: 10 });
    const [, slot] = take(pacer, 2);
    slot!.cancel();
    expect(pacer.getState()).toMatchObject({ inFlight: 1 });
    expect(pacer.getState().tokens).toBeCloseTo(0, 9);
  });
});

describe('slow start, while nothing is known of the limit', () => {
  it('lets 4 requests go blind; the 5th waits for an answer, and each accepted answer lets one more go', () => {
    const { pacer } = setup();
    const places = take(pacer, 6);
    expect(places.slice(0, 4)).toEqual([null, null, null, null]);
    const [fifth, sixth] = places.slice(4) as PacerSlot[];
    expect(fifth!.dueInMs()).toBeGreaterThan(0);
    const moved = vi.fn();
    fifth!.onMove = moved;
    // The answer states a generous limit: the pacer now knows it, and the window grows by one.
    pacer.observeSuccess(quota(1000, 1));
    expect(moved).toHaveBeenCalled();
    expect(fifth!.dueInMs()).toBe(0);
    fifth!.take();
    expect(sixth!.dueInMs()).toBeGreaterThan(0);
  });

  it('ends at the first answer that teaches nothing: every waiting request goes', () => {
    const { pacer } = setup();
    const waiting = take(pacer, 8).slice(4) as PacerSlot[];
    pacer.observeSuccess(undefined);
    expect(waiting.map((slot) => slot.dueInMs())).toEqual([0, 0, 0, 0]);
  });

  it('ends at the first 429: the rate it cut to spaces the rest', () => {
    const { pacer } = setup();
    const waiting = take(pacer, 6).slice(4) as PacerSlot[];
    pacer.observeSuccess(quota(10, 1, 5)); // 9.8/s
    waiting[0]!.take();
    pacer.observeRateLimited(quota(10, 1, 0)); // a 429: the slow start is over, the rate comes down
    expect(waiting[1]!.dueInMs()).toBeLessThan(1000);
    expect(pacer.getState().ratePerSecond).toBeLessThan(9.8);
  });

  it('ends after 1 s even if nothing answers, and is not held past maxWaitMs', () => {
    const { clock, pacer } = setup();
    const fifth = take(pacer, 5)[4]!;
    expect(fifth.dueInMs()).toBe(1000);
    clock.increment(1000);
    expect(fifth.dueInMs()).toBe(0);
    const short = setup({ maxWaitMs: 0 });
    expect(take(short.pacer, 6)).toEqual([null, null, null, null, null, null]);
  });

  it('does not apply to a pacer that starts with a known rate, nor to reserve()', () => {
    const known = setup({ initialRatePerSecond: 1000 });
    // Only the rate spaces them: the 5th is 4 ms away at 1000/s, not waiting for an answer.
    expect(take(known.pacer, 5)[4]!.dueInMs()).toBe(4);
    const { pacer } = setup();
    expect(Array.from({ length: 6 }, () => pacer.reserve())).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
