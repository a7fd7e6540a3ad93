import { afterEach, describe, it, expect, vi } from 'vitest';
import fc from 'fast-check';
import { HttpError } from 'ra-core';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { getRetryAfterMs } from '../../src/classify/index.js';
import { supabaseClient, withServer } from './fixtures.js';

const NOW = Date.parse('2015-10-21T07:28:00Z');

function response429(headers: Record<string, string>): Response {
  return new Response(null, { status: 429, headers });
}

describe('getRetryAfterMs', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads Retry-After seconds and HTTP-dates from a real Response', () => {
    expect(getRetryAfterMs(response429({ 'Retry-After': '30' }), NOW)).toBe(30_000);
    expect(getRetryAfterMs(response429({ 'Retry-After': 'Wed, 21 Oct 2015 07:29:00 GMT' }), NOW)).toBe(60_000);
  });

  it('prefers Retry-After to the rate-limit reset', () => {
    expect(getRetryAfterMs(response429({ 'Retry-After': '2', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '50' }), NOW)).toBe(
      2_000,
    );
  });

  it('uses the reset when no request remains or remaining is not given', () => {
    expect(getRetryAfterMs(response429({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '50' }), NOW)).toBe(50_000);
    expect(getRetryAfterMs(response429({ 'RateLimit-Reset': '9' }), NOW)).toBe(9_000);
    expect(getRetryAfterMs(response429({ RateLimit: 'limit=10, remaining=0, reset=4' }), NOW)).toBe(4_000);
    expect(getRetryAfterMs(response429({ RateLimit: '"default";r=0;t=6', 'RateLimit-Policy': '"default";q=10;w=60' }), NOW)).toBe(
      6_000,
    );
    expect(getRetryAfterMs(response429({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 8) }), NOW)).toBe(
      8_000,
    );
  });

  it('falls back to the reset when Retry-After is garbage', () => {
    expect(getRetryAfterMs(response429({ 'Retry-After': 'soon', 'RateLimit-Reset': '3' }), NOW)).toBe(3_000);
  });

  it('ignores a reset while requests remain: that is not a wait', () => {
    expect(getRetryAfterMs(response429({ 'X-RateLimit-Remaining': '4', 'X-RateLimit-Reset': '50' }), NOW)).toBeNull();
    expect(getRetryAfterMs(response429({ RateLimit: 'limit=10, remaining=3, reset=4' }), NOW)).toBeNull();
  });

  it('reads headers on error.response (plain object) and on a supabase-js FunctionsHttpError', () => {
    expect(getRetryAfterMs({ response: { status: 429, headers: { 'retry-after': '12' } } }, NOW)).toBe(12_000);
    expect(getRetryAfterMs(new FunctionsHttpError(response429({ 'Retry-After': '4' })), NOW)).toBe(4_000);
  });

  it('reads Retry-After from what a real supabase-js client gives for an Edge Function 429', async () => {
    await withServer({ status: 429, headers: { 'Retry-After': '7' } }, async (url) => {
      const { error } = await supabaseClient(url).functions.invoke('send-email');
      expect(getRetryAfterMs(error, NOW)).toBe(7_000);
    });
  });

  it('takes the largest of a duplicated Retry-After', () => {
    const headers = new Headers();
    headers.append('Retry-After', '1');
    headers.append('Retry-After', '5');
    expect(getRetryAfterMs(new Response(null, { status: 429, headers }), NOW)).toBe(5_000);
  });

  it('reads the headers of an error that holds them in a Map', () => {
    expect(getRetryAfterMs({ status: 429, headers: new Map([['Retry-After', '2']]) }, NOW)).toBe(2_000);
    expect(getRetryAfterMs({ response: { headers: new Map([['X-RateLimit-Remaining', '0'], ['X-RateLimit-Reset', '7']]) } }, NOW)).toBe(
      7_000,
    );
  });

  it('waits the longer of a Retry-After written under two cases, whichever key comes first', () => {
    expect(getRetryAfterMs({ status: 429, headers: { 'retry-after': '1', 'Retry-After': '30' } }, NOW)).toBe(30_000);
    expect(getRetryAfterMs({ status: 429, headers: { 'Retry-After': '30', 'retry-after': '1' } }, NOW)).toBe(30_000);
    expect(getRetryAfterMs({ status: 429, headers: new Map([['retry-after', '1'], ['Retry-After', '30']]) }, NOW)).toBe(30_000);
  });

  it('uses retryAfterMs (milliseconds) or retryAfter (seconds) properties when the headers say nothing', () => {
    expect(getRetryAfterMs(Object.assign(new Error('slow down'), { retryAfterMs: 1_250 }), NOW)).toBe(1_250);
    expect(getRetryAfterMs(Object.assign(new Error('slow down'), { retryAfter: 3 }), NOW)).toBe(3_000);
    expect(getRetryAfterMs({ retryAfterMs: 10, retryAfter: 99 }, NOW)).toBe(10);
    expect(getRetryAfterMs({ headers: {}, retryAfter: 2 }, NOW)).toBe(2_000);
    expect(getRetryAfterMs({ headers: { 'retry-after': '1' }, retryAfter: 99 }, NOW)).toBe(1_000);
  });

  it('ignores retry properties that are not usable durations', () => {
    for (const bad of [-1, Number.NaN, Infinity, '5', null]) {
      expect(getRetryAfterMs({ retryAfterMs: bad }, NOW)).toBeNull();
      expect(getRetryAfterMs({ retryAfter: bad }, NOW)).toBeNull();
    }
  });

  it('gives null when nothing says how long to wait', () => {
    expect(getRetryAfterMs(response429({}), NOW)).toBeNull();
    expect(getRetryAfterMs(new HttpError('Too Many Requests', 429, null), NOW)).toBeNull();
    expect(getRetryAfterMs(new Error('boom'), NOW)).toBeNull();
    expect(getRetryAfterMs(null, NOW)).toBeNull();
  });

  it('defaults the clock to Date.now()', () => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
    expect(getRetryAfterMs(response429({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:10 GMT' }))).toBe(10_000);
  });

  it('never throws and gives null or a non-negative safe integer, for anything (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true }), fc.integer(), (value, now) => {
        const ms = getRetryAfterMs(value, now);
        return ms === null || (Number.isSafeInteger(ms) && ms >= 0);
      }),
    );
  });
});
