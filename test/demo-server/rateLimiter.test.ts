import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRateLimitSettings } from '../../demo/server/rateLimiter.js';

const base = { ratePerSecond: 2, burst: 2, headers: 'ietf', retryAfter: 'integer' } as const;

describe('createRateLimiter', () => {
  it('keeps one bucket per client key', () => {
    let t = 0;
    const limiter = createRateLimiter({ settings: base, now: () => t });
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('a').allowed).toBe(false);
    expect(limiter.check('b').allowed).toBe(true);
    t += 500;
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('sends draft-6 IETF headers, and an integer Retry-After (rounded up, at least 1 s) on refusal', () => {
    let t = 0;
    const limiter = createRateLimiter({ settings: { ...base, ratePerSecond: 0.5, burst: 3 }, now: () => t });
    expect(limiter.check('a').headers).toEqual({
      'RateLimit-Limit': '3',
      'RateLimit-Remaining': '2',
      'RateLimit-Reset': '2',
      'RateLimit-Policy': '3;w=6',
    });
    limiter.check('a');
    limiter.check('a');
    const refused = limiter.check('a');
    expect(refused.allowed).toBe(false);
    expect(refused.headers['Retry-After']).toBe('2');
    expect(refused.headers['RateLimit-Remaining']).toBe('0');
    t += 1900;
    // 0.95 token: 100 ms missing, still announced as 1 whole second
    expect(limiter.check('a').headers['Retry-After']).toBe('1');
  });

  it('sends X-RateLimit-* with the reset as Unix epoch seconds of the injected clock', () => {
    const t = 1_700_000_000_000;
    const limiter = createRateLimiter({ settings: { ...base, headers: 'x-ratelimit' }, now: () => t });
    expect(limiter.check('a').headers).toEqual({
      'X-RateLimit-Limit': '2',
      'X-RateLimit-Remaining': '1',
      'X-RateLimit-Reset': String(Math.ceil((t + 500) / 1000)),
    });
  });

  it("sends no headers with headers 'none' and retryAfter 'none'", () => {
    const limiter = createRateLimiter({ settings: { ...base, burst: 1, headers: 'none', retryAfter: 'none' }, now: () => 0 });
    expect(limiter.check('a')).toEqual({ allowed: true, headers: {} });
    expect(limiter.check('a')).toEqual({ allowed: false, headers: {} });
  });

  it('lets everything through when off, and refills every bucket when the settings change', () => {
    const limiter = createRateLimiter({ settings: false, now: () => 0 });
    for (let i = 0; i < 50; i += 1) expect(limiter.check('a').allowed).toBe(true);
    limiter.settings = { ...base, burst: 1 };
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('a').allowed).toBe(false);
    limiter.settings = { ...base, burst: 1 };
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('validates settings, naming the field', () => {
    expect(parseRateLimitSettings(false)).toBe(false);
    expect(() => parseRateLimitSettings({ ...base, ratePerSecond: -1 })).toThrow(/rateLimit\.ratePerSecond/);
    expect(() => parseRateLimitSettings({ ...base, burst: 0 })).toThrow(/rateLimit\.burst/);
    expect(() => parseRateLimitSettings({ ...base, headers: 'draft-7' })).toThrow(/rateLimit\.headers/);
    expect(() => parseRateLimitSettings({ ...base, retryAfter: 'http-date' })).toThrow(/rateLimit\.retryAfter/);
    expect(() => parseRateLimitSettings('fast')).toThrow(TypeError);
  });
});
