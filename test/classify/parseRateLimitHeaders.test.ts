import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseRateLimitHeaders, type RateLimitInfo } from '../../src/classify/index.js';

const NOW = 1_700_000_000_000;

function parse(headers: Record<string, string>): RateLimitInfo | null {
  return parseRateLimitHeaders(new Headers(headers), NOW);
}

describe('parseRateLimitHeaders', () => {
  describe('IETF drafts up to 06: RateLimit-Limit, -Remaining, -Reset, -Policy', () => {
    it('reads the three fields, reset in delta seconds', () => {
      expect(parse({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '42', 'RateLimit-Reset': '7' })).toEqual({
        limit: 100,
        remaining: 42,
        resetMs: 7_000,
        windowMs: null,
        source: 'ietf',
      });
    });

    it('takes the window of the policy whose quota equals the limit, else the first', () => {
      const policy = '10;w=1, 100;w=60';
      expect(parse({ 'RateLimit-Limit': '100', 'RateLimit-Policy': policy })?.windowMs).toBe(60_000);
      expect(parse({ 'RateLimit-Limit': '10', 'RateLimit-Policy': policy })?.windowMs).toBe(1_000);
      expect(parse({ 'RateLimit-Limit': '50', 'RateLimit-Policy': policy })).toMatchObject({ limit: 50, windowMs: 1_000 });
    });

    it('takes the limit from the policy when RateLimit-Limit is missing', () => {
      expect(parse({ 'RateLimit-Remaining': '0', 'RateLimit-Policy': '100;w=60' })).toEqual({
        limit: 100,
        remaining: 0,
        resetMs: null,
        windowMs: 60_000,
        source: 'ietf',
      });
    });

    it('reads a draft-03 limit that lists its policies: "100, 100;w=60"', () => {
      expect(parse({ 'RateLimit-Limit': '100, 100;w=60', 'RateLimit-Remaining': '1', 'RateLimit-Reset': '30' })).toEqual({
        limit: 100,
        remaining: 1,
        resetMs: 30_000,
        windowMs: 60_000,
        source: 'ietf',
      });
      expect(parse({ 'RateLimit-Limit': '10, 10;w=1, 1000;w=3600' })).toMatchObject({ limit: 10, windowMs: 1_000 });
    });

    it('keeps the fewest remaining and the latest reset of a repeated header', () => {
      const headers = new Headers();
      headers.append('RateLimit-Remaining', '5');
      headers.append('RateLimit-Remaining', '3');
      headers.append('RateLimit-Reset', '10');
      headers.append('RateLimit-Reset', '20');
      expect(parseRateLimitHeaders(headers, NOW)).toMatchObject({ remaining: 3, resetMs: 20_000 });
    });

    it('reads a header written under two cases in a plain object or a Map as a repeated header', () => {
      const plain = { 'ratelimit-remaining': '5', 'RateLimit-Remaining': '3', 'RateLimit-Reset': '20', 'ratelimit-reset': '10' };
      expect(parseRateLimitHeaders(plain, NOW)).toMatchObject({ remaining: 3, resetMs: 20_000 });
      expect(parseRateLimitHeaders(new Map(Object.entries(plain)), NOW)).toMatchObject({ remaining: 3, resetMs: 20_000 });
    });
  });

  describe('IETF draft 07: the combined RateLimit header', () => {
    it('reads limit, remaining and reset, with the window from RateLimit-Policy', () => {
      expect(parse({ RateLimit: 'limit=100, remaining=42, reset=7', 'RateLimit-Policy': '100;w=60' })).toEqual({
        limit: 100,
        remaining: 42,
        resetMs: 7_000,
        windowMs: 60_000,
        source: 'ietf',
      });
    });

    it('reads it without a policy, in any key order and case', () => {
      expect(parse({ RateLimit: 'Reset=3, REMAINING=0, limit=5' })).toEqual({
        limit: 5,
        remaining: 0,
        resetMs: 3_000,
        windowMs: null,
        source: 'ietf',
      });
    });
  });

  describe('IETF Structured Fields drafts (08 and later)', () => {
    it('reads r and t, with q and w from the policy of the same name', () => {
      expect(parse({ RateLimit: '"default";r=42;t=7', 'RateLimit-Policy': '"default";q=100;w=60' })).toEqual({
        limit: 100,
        remaining: 42,
        resetMs: 7_000,
        windowMs: 60_000,
        source: 'ietf-structured',
      });
    });

    it('reads the spacing express-rate-limit sends', () => {
      expect(
        parse({ RateLimit: '"100-in-1min"; r=99; t=60', 'RateLimit-Policy': '"100-in-1min"; q=100; w=60; pk=:ZGVm:' }),
      ).toEqual({ limit: 100, remaining: 99, resetMs: 60_000, windowMs: 60_000, source: 'ietf-structured' });
    });

    it('picks the item with the fewest remaining, and its policy by name', () => {
      const info = parse({
        RateLimit: '"burst";r=5;t=1, "daily";r=0;t=3600',
        'RateLimit-Policy': '"burst";q=10;w=1, "daily";q=1000;w=86400',
      });
      expect(info).toEqual({
        limit: 1000,
        remaining: 0,
        resetMs: 3_600_000,
        windowMs: 86_400_000,
        source: 'ietf-structured',
      });
    });

    it('leaves limit and window null when no policy has the same name', () => {
      expect(parse({ RateLimit: '"daily";r=3;t=9', 'RateLimit-Policy': '"burst";q=10;w=1' })).toEqual({
        limit: null,
        remaining: 3,
        resetMs: 9_000,
        windowMs: null,
        source: 'ietf-structured',
      });
    });

    it('accepts token names and escaped quotes', () => {
      expect(parse({ RateLimit: 'default;r=1;t=2', 'RateLimit-Policy': 'default;q=3;w=4' })).toMatchObject({
        limit: 3,
        remaining: 1,
      });
      expect(parse({ RateLimit: '"a\\"b, c";r=0;t=5', 'RateLimit-Policy': '"a\\"b, c";q=9;w=10' })).toMatchObject({
        limit: 9,
        remaining: 0,
        resetMs: 5_000,
        windowMs: 10_000,
      });
    });
  });

  describe('X-RateLimit-*', () => {
    it('reads a reset in delta seconds', () => {
      expect(parse({ 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '60' })).toEqual({
        limit: 60,
        remaining: 0,
        resetMs: 60_000,
        windowMs: null,
        source: 'x-ratelimit',
      });
    });

    it('reads a reset in epoch seconds (GitHub), epoch milliseconds, and fractional epoch seconds (Discord)', () => {
      expect(parse({ 'X-RateLimit-Reset': String(NOW / 1000 + 60) })?.resetMs).toBe(60_000);
      expect(parse({ 'X-RateLimit-Reset': String(NOW + 1_500) })?.resetMs).toBe(1_500);
      expect(parse({ 'X-RateLimit-Reset': `${NOW / 1000 + 2}.250` })?.resetMs).toBe(2_250);
    });

    it('gives 0 for an epoch reset already past', () => {
      expect(parse({ 'X-RateLimit-Reset': String(NOW / 1000 - 5) })?.resetMs).toBe(0);
      expect(parse({ 'X-RateLimit-Reset': String(NOW - 5) })?.resetMs).toBe(0);
    });

    it('prefers X-RateLimit-Reset-After, fractions allowed', () => {
      expect(
        parse({ 'X-RateLimit-Reset': String(NOW / 1000 + 60), 'X-RateLimit-Reset-After': '1.5', 'X-RateLimit-Remaining': '0' }),
      ).toEqual({ limit: null, remaining: 0, resetMs: 1_500, windowMs: null, source: 'x-ratelimit' });
    });

    it('reads the X-Rate-Limit-* spelling too', () => {
      expect(parse({ 'x-rate-limit-limit': '15', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(NOW / 1000 + 900) })).toEqual({
        limit: 15,
        remaining: 0,
        resetMs: 900_000,
        windowMs: null,
        source: 'x-ratelimit',
      });
    });

    it('reads a plain header object, like Node’s IncomingHttpHeaders', () => {
      expect(parseRateLimitHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' }, NOW)).toMatchObject({
        remaining: 0,
        resetMs: 3_000,
      });
    });
  });

  it('prefers the IETF headers over X-RateLimit-*', () => {
    expect(parse({ 'RateLimit-Remaining': '1', 'X-RateLimit-Remaining': '0' })).toMatchObject({ remaining: 1, source: 'ietf' });
    expect(parse({ RateLimit: '"d";r=2', 'RateLimit-Remaining': '1' })).toMatchObject({ remaining: 2, source: 'ietf-structured' });
  });

  it('falls back to the next format when one has nothing readable', () => {
    expect(parse({ RateLimit: 'nonsense', 'X-RateLimit-Remaining': '4' })).toMatchObject({ remaining: 4, source: 'x-ratelimit' });
  });

  it('leaves garbage and negative numbers null', () => {
    expect(parse({ 'X-RateLimit-Limit': 'abc', 'X-RateLimit-Remaining': '-1', 'X-RateLimit-Reset': '5' })).toEqual({
      limit: null,
      remaining: null,
      resetMs: 5_000,
      windowMs: null,
      source: 'x-ratelimit',
    });
    expect(parse({ 'RateLimit-Limit': '1.5', 'RateLimit-Remaining': 'NaN', 'RateLimit-Reset': '-3' })).toBeNull();
    expect(parse({ RateLimit: '"d";r=-1;t=Infinity' })).toBeNull();
  });

  it('gives null when there is no rate-limit header, or no headers', () => {
    expect(parse({ 'Content-Type': 'application/json' })).toBeNull();
    expect(parseRateLimitHeaders(new Headers(), NOW)).toBeNull();
    expect(parseRateLimitHeaders(null, NOW)).toBeNull();
    expect(parseRateLimitHeaders(undefined, NOW)).toBeNull();
    expect(parseRateLimitHeaders('RateLimit-Remaining: 0', NOW)).toBeNull();
  });

  describe('properties', () => {
    const NAMES = [
      'ratelimit',
      'ratelimit-policy',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-ratelimit-reset-after',
    ] as const;
    const headerText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...'0123456789.,;="- qrtwlimit') }),
    );
    const isField = (value: number | null) => value === null || (Number.isSafeInteger(value) && value >= 0);

    it('never throws and never gives NaN, Infinity or a negative number, for any header values and clock', () => {
      fc.assert(
        fc.property(
          fc.dictionary(fc.constantFrom(...NAMES), headerText),
          fc.oneof(fc.integer(), fc.double()),
          (headers, now) => {
            const info = parseRateLimitHeaders(headers, now);
            if (info === null) return true;
            return isField(info.limit) && isField(info.remaining) && isField(info.resetMs) && isField(info.windowMs);
          },
        ),
      );
    });

    it('never throws for anything given as headers', () => {
      fc.assert(
        fc.property(fc.anything(), (value) => {
          parseRateLimitHeaders(value, NOW);
        }),
      );
    });
  });
});
