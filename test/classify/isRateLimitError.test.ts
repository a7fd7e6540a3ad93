import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HttpError } from 'ra-core';
import { AuthApiError, FunctionsHttpError } from '@supabase/supabase-js';
import { isRateLimitError } from '../../src/classify/index.js';
import { supabaseClient, supabaseRateLimitResult, withServer } from './fixtures.js';

describe('isRateLimitError', () => {
  it('is true for a real 429 Response and false for other statuses', () => {
    expect(isRateLimitError(new Response(null, { status: 429 }))).toBe(true);
    expect(isRateLimitError(new Response(null, { status: 503 }))).toBe(false);
    expect(isRateLimitError(new Response(null, { status: 200 }))).toBe(false);
  });

  it('is true for a real ra-core HttpError 429, false for a 404', () => {
    expect(isRateLimitError(new HttpError('Too Many Requests', 429, null))).toBe(true);
    expect(isRateLimitError(new HttpError('Not Found', 404, null))).toBe(false);
  });

  it('is true for a supabase-js result object and supabase-js errors', () => {
    expect(isRateLimitError(supabaseRateLimitResult())).toBe(true);
    expect(isRateLimitError(new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'))).toBe(true);
    expect(isRateLimitError(new FunctionsHttpError(new Response(null, { status: 429 })))).toBe(true);
  });

  it('is true for what a real supabase-js client resolves with when the server answers 429', async () => {
    await withServer({ status: 429, body: { message: 'Too Many Requests' } }, async (url) => {
      const client = supabaseClient(url);
      const result = await client.from('contacts').select().retry(false);
      expect(result.status).toBe(429);
      expect(isRateLimitError(result)).toBe(true);
      const invoked = await client.functions.invoke('send-email');
      expect(invoked.error).toBeInstanceOf(FunctionsHttpError);
      expect(isRateLimitError(invoked.error)).toBe(true);
    });
  });

  it('is true when the supabase error message, message or statusText says so, whatever the status', () => {
    expect(isRateLimitError({ data: null, error: { message: 'Too Many Requests' } })).toBe(true);
    expect(isRateLimitError({ statusText: 'Too Many Requests' })).toBe(true);
    // GitHub answers secondary rate limits with 403.
    expect(isRateLimitError(new HttpError('You have exceeded a secondary rate limit.', 403, null))).toBe(true);
    for (const message of ['Rate limit exceeded', 'rate-limit hit', 'RATELIMIT', 'rate_limit_exceeded', 'too many requests']) {
      expect(isRateLimitError(new Error(message))).toBe(true);
    }
  });

  it('is true for the codes RATE_LIMITED and too_many_requests, any case', () => {
    expect(isRateLimitError({ code: 'RATE_LIMITED' })).toBe(true);
    expect(isRateLimitError({ code: 'rate_limited' })).toBe(true);
    expect(isRateLimitError({ code: 'TOO_MANY_REQUESTS' })).toBe(true);
    expect(isRateLimitError({ code: 'RATE_LIMITED_NOT' })).toBe(false);
    expect(isRateLimitError({ code: 'ECONNRESET' })).toBe(false);
  });

  it('is false for other errors, primitives and nullish values', () => {
    expect(isRateLimitError(new Error('Validation failed'))).toBe(false);
    expect(isRateLimitError(new Error('Rate of change is limited'))).toBe(false);
    expect(isRateLimitError({ status: 500, message: 'Internal Server Error' })).toBe(false);
    for (const value of [null, undefined, 429, 'Too Many Requests', 'rate limit', true, Symbol('429'), 429n]) {
      expect(isRateLimitError(value)).toBe(false);
    }
  });

  it('never throws on throwing getters and proxies', () => {
    const throwing = {
      get status(): number {
        throw new Error('status getter');
      },
      get message(): string {
        throw new Error('message getter');
      },
    };
    expect(isRateLimitError(throwing)).toBe(false);
    const partly = {
      get status(): number {
        throw new Error('status getter');
      },
      message: 'Too Many Requests',
    };
    expect(isRateLimitError(partly)).toBe(true);
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); } });
    expect(isRateLimitError(hostile)).toBe(false);
    const { proxy, revoke } = Proxy.revocable({ status: 429 }, {});
    revoke();
    expect(isRateLimitError(proxy)).toBe(false);
  });

  it('never throws, for anything (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }), (value) => {
        expect(typeof isRateLimitError(value)).toBe('boolean');
      }),
    );
  });
});
