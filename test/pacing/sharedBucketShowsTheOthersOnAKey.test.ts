import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../../src/classify/parseRateLimitHeaders.js';
import { SharedBucket } from '../../src/pacing/SharedBucket.js';

/** A bucket of 10 refilling at 100/s (`10;w=0.1`), as a reading of `remaining` states it. */
const reading = (remaining: number): RateLimitInfo => ({ limit: 10, remaining, resetMs: 0, windowMs: 100, source: 'ietf' });

describe('SharedBucket: what the shared RateLimit-Remaining says of other clients on the key', () => {
  it('a client alone that drains the bucket with its own requests never sees others, nor a low bucket to slow for', () => {
    const bucket = new SharedBucket();
    let t = 0;
    // A burst of 9, answered one by one 1 ms apart, with the rest still in flight: the bucket drains to 0 by itself.
    for (let remaining = 9, inFlight = 8; remaining >= 0; remaining--, inFlight = Math.max(0, inFlight - 1), t += 1) {
      expect(bucket.read(reading(remaining), t, inFlight)).toBe(false);
    }
    // Then paced just under the refill, the bucket stays low: still all its own doing.
    for (let i = 0; i < 50; i++, t += 10.2) expect(bucket.read(reading(0), t, 0)).toBe(false);
    expect(bucket.othersSeen).toBe(false);
    expect(bucket.share).toBe(1);
  });

  it('a client alone that was idle finds its bucket full again: the refill it did not draw is nobody else’s', () => {
    const bucket = new SharedBucket();
    bucket.read(reading(2), 0, 0);
    // Ten seconds idle, then a burst of 9: Remaining 1 is all its own doing.
    expect(bucket.read(reading(1), 10_000, 8)).toBe(false);
    expect(bucket.othersSeen).toBe(false);
  });

  it('a bucket kept low by others is a congestion mark before any 429, and the share says how much is this client’s', () => {
    const bucket = new SharedBucket();
    let t = 0;
    bucket.read(reading(9), t, 0);
    let marks = 0;
    // One request of this client every 50 ms, while the bucket reads nearly empty: others drew the ~5 refilled tokens.
    for (let i = 0; i < 40; i++) {
      t += 50;
      if (bucket.read(reading(1), t, 0)) marks++;
    }
    expect(marks).toBe(40);
    expect(bucket.othersSeen).toBe(true);
    // This client draws 1 token in each 50 ms, others about 4: a fifth.
    expect(bucket.share).toBeGreaterThan(0.15);
    expect(bucket.share).toBeLessThan(0.25);
  });

  it('cuts the rate deeper the larger this client’s share, and grows every client by the same amount while there is room', () => {
    const alone = new SharedBucket();
    expect(alone.cut(100, 0.9)).toBeCloseTo(50, 9); // share 1: 1 − (0.1 + 0.4)
    const small = new SharedBucket();
    small.read(reading(9), 0, 0);
    for (let t = 50; t <= 2000; t += 50) small.read(reading(1), t, 0);
    expect(small.cut(100, 0.9)).toBeCloseTo(100 * (1 - 0.5 * small.share), 9);
    expect(small.cut(100, 0.9)).toBeGreaterThan(85); // a share near a fifth: about 10% off, where one alone halves
    // Growth is in the stated rate per second, scaled by the share (at least a tenth): not by the client's own rate.
    expect(alone.growth(98, 100)).toBeCloseTo(4.9, 9);
    expect(small.growth(98, 100)).toBeCloseTo(98 * 0.5 * small.share * 0.1, 9);
  });

  it('starts at a share only when its first answer turned it away, for a bucket that refills within a second', () => {
    // A first answer that was accepted says nothing sure: the quota a policy states need not be what the bucket holds.
    expect(new SharedBucket().firstShare(reading(5), false)).toBe(1);
    // Turned away at its first requests: others share the bucket, up to the limit's worth of them.
    const turnedAway = new SharedBucket();
    expect(turnedAway.firstShare(reading(0), true)).toBeCloseTo(1 / 11, 9);
    expect(turnedAway.othersSeen).toBe(true);
    // What is missing from an hour's quota may have been drawn long ago: no guess.
    expect(new SharedBucket().firstShare({ limit: 5000, remaining: 0, resetMs: 0, windowMs: 3_600_000, source: 'ietf' }, true)).toBe(1);
  });

  it('a client alone on a server that states more than its bucket holds (20 per second, 10 at once) sees nobody else', () => {
    const bucket = new SharedBucket();
    const stated = (remaining: number): RateLimitInfo => ({ limit: 20, remaining, resetMs: 0, windowMs: 1000, source: 'ietf' });
    let t = 0;
    // Bursts of 9 after idle seconds, then a steady 15/s: every reading is what its own draws from a bucket of 10 leave.
    for (let round = 0; round < 5; round++) {
      t += 2000;
      for (let remaining = 9; remaining >= 1; remaining--, t += 1) bucket.read(stated(remaining), t, 0);
      for (let i = 0; i < 30; i++, t += 66.7) bucket.read(stated(1), t, 0);
    }
    expect(bucket.othersSeen).toBe(false);
    expect(bucket.share).toBe(1);
  });

  it('a reading of another policy starts the account over instead of counting the difference as others', () => {
    const bucket = new SharedBucket();
    bucket.read(reading(9), 0, 0);
    expect(bucket.read({ limit: 100, remaining: 1, resetMs: 0, windowMs: 1000, source: 'ietf' }, 1, 0)).toBe(false);
    expect(bucket.othersSeen).toBe(false);
  });
});
