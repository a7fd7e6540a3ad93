import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HttpError } from 'ra-core';
import { AuthApiError, FunctionsHttpError } from '@supabase/supabase-js';
import { getStatus } from '../../src/classify/index.js';
import { supabaseRateLimitResult } from './fixtures.js';

describe('getStatus', () => {
  it('reads the status of a real Response', () => {
    expect(getStatus(new Response(null, { status: 503 }))).toBe(503);
    expect(getStatus(new Response('{}', { status: 429, headers: { 'Retry-After': '1' } }))).toBe(429);
  });

  it('reads the status of a real ra-core HttpError', () => {
    expect(getStatus(new HttpError('Too Many Requests', 429, { message: 'slow down' }))).toBe(429);
    expect(getStatus(new HttpError('Not Found', 404, null))).toBe(404);
  });

  it('reads the status of a supabase-js result object and of supabase-js errors', () => {
    expect(getStatus(supabaseRateLimitResult())).toBe(429);
    expect(getStatus(new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'))).toBe(429);
    // FunctionsHttpError keeps the Response in `context`.
    expect(getStatus(new FunctionsHttpError(new Response(null, { status: 502 })))).toBe(502);
  });

  it('reads statusCode, response.status and response.statusCode', () => {
    expect(getStatus({ statusCode: 502 })).toBe(502);
    expect(getStatus({ response: { status: 504 } })).toBe(504);
    expect(getStatus({ response: { statusCode: 500 } })).toBe(500);
  });

  it('accepts three-digit numeric strings', () => {
    expect(getStatus({ status: '503' })).toBe(503);
    expect(getStatus({ response: { statusCode: '429' } })).toBe(429);
  });

  it('reads code only when it is 429', () => {
    expect(getStatus({ code: 429 })).toBe(429);
    expect(getStatus({ code: '429' })).toBe(429);
    expect(getStatus({ code: 500 })).toBeUndefined();
    expect(getStatus({ code: '23505' })).toBeUndefined();
    expect(getStatus(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('looks in order: status, statusCode, response, context, code', () => {
    expect(getStatus({ status: 503, statusCode: 500, response: { status: 502 }, code: 429 })).toBe(503);
    expect(getStatus({ statusCode: 500, response: { status: 502 }, code: 429 })).toBe(500);
    expect(getStatus({ response: { status: 502, statusCode: 504 }, code: 429 })).toBe(502);
    expect(getStatus({ context: new Response(null, { status: 504 }), code: 429 })).toBe(504);
  });

  it('skips values that are not HTTP statuses and tries the next place', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity, 429.5, 0, 42, 600, -429, '42', ' 503', '503 ', '5x3', 'abc', null, true]) {
      expect(getStatus({ status: bad })).toBeUndefined();
      expect(getStatus({ status: bad, statusCode: 502 })).toBe(502);
    }
    // supabase-js reports a network failure as status 0.
    expect(getStatus({ data: null, error: { message: 'TypeError: fetch failed' }, status: 0, statusText: '' })).toBeUndefined();
  });

  it('ignores a context that is not a Response', () => {
    expect(getStatus({ context: { status: 503 } })).toBeUndefined();
  });

  it('gives undefined for errors without a status, primitives and nullish values', () => {
    for (const value of [new Error('boom'), {}, null, undefined, 429, '429', true, Symbol('x'), 10n]) {
      expect(getStatus(value)).toBeUndefined();
    }
  });

  it('survives throwing getters and proxies', () => {
    const throwing = {
      get status(): number {
        throw new Error('getter');
      },
      statusCode: 503,
    };
    expect(getStatus(throwing)).toBe(503);
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(getStatus(hostile)).toBeUndefined();
    const { proxy, revoke } = Proxy.revocable({ status: 429 }, {});
    revoke();
    expect(getStatus(proxy)).toBeUndefined();
  });

  it('never throws and returns undefined or an integer from 100 to 599 (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }), (value) => {
        const status = getStatus(value);
        return status === undefined || (Number.isInteger(status) && status >= 100 && status <= 599);
      }),
    );
  });
});
