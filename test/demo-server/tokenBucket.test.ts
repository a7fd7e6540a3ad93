import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../demo/server/tokenBucket.js';

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

describe('createTokenBucket', () => {
  it('lets a full burst through, then refuses with the time until the next token', () => {
    const c = clock();
    const bucket = createTokenBucket({ ratePerSecond: 2, burst: 3, now: c.now });
    expect([bucket.take(), bucket.take(), bucket.take()].map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
    ]);
    const refused = bucket.take();
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 500, resetMs: 1500 });
  });

  it('refills continuously at ratePerSecond, never above burst', () => {
    const c = clock();
    const bucket = createTokenBucket({ ratePerSecond: 4, burst: 2, now: c.now });
    bucket.take();
    bucket.take();
    c.advance(100); // 0.4 token
    const early = bucket.take();
    expect(early.allowed).toBe(false);
    expect(early.retryAfterMs).toBe(150);
    c.advance(150);
    expect(bucket.take().allowed).toBe(true);
    c.advance(60_000);
    expect(bucket.available()).toBe(2);
    expect(bucket.take()).toMatchObject({ allowed: true, remaining: 1, resetMs: 250 });
  });

  it('treats 20/s over 50 ms as one whole token despite float rounding', () => {
    const c = clock();
    const bucket = createTokenBucket({ ratePerSecond: 20, burst: 1, now: c.now });
    expect(bucket.take().allowed).toBe(true);
    for (let i = 0; i < 100; i += 1) {
      c.advance(50);
      expect(bucket.take().allowed).toBe(true);
    }
  });

  it('does not refill (or drain) when the clock goes backwards', () => {
    const c = clock(10_000);
    const bucket = createTokenBucket({ ratePerSecond: 1, burst: 1, now: c.now });
    bucket.take();
    c.set(5_000);
    expect(bucket.take().allowed).toBe(false);
    c.set(10_000);
    expect(bucket.take().allowed).toBe(false);
    c.set(11_000);
    expect(bucket.take().allowed).toBe(true);
  });

  it('reads the available tokens without taking one', () => {
    const c = clock();
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 5, now: c.now });
    expect(bucket.available()).toBe(5);
    expect(bucket.available()).toBe(5);
    expect(bucket.take()).toEqual({ allowed: true, remaining: 4, retryAfterMs: 0, resetMs: 100 });
  });

  it('rejects bad options at construction, naming the option', () => {
    const now = () => 0;
    expect(() => createTokenBucket({ ratePerSecond: 0, burst: 1, now })).toThrow(/ratePerSecond/);
    expect(() => createTokenBucket({ ratePerSecond: Number.NaN, burst: 1, now })).toThrow(RangeError);
    expect(() => createTokenBucket({ ratePerSecond: 1, burst: 1.5, now })).toThrow(/burst/);
    expect(() => createTokenBucket({ ratePerSecond: 1, burst: 0, now })).toThrow(RangeError);
    expect(() => createTokenBucket({ ratePerSecond: 1, burst: 1, now: 5 as unknown as () => number })).toThrow(TypeError);
  });
});
