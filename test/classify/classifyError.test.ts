import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { HttpError } from 'ra-core';
import { AuthApiError } from '@supabase/supabase-js';
import { classifyError, type ErrorClassification } from '../../src/classify/index.js';
import { closedPort, refusedFetchError, supabaseClient, supabaseRateLimitResult } from './fixtures.js';

const NOW = Date.parse('2015-10-21T07:28:00Z');

function classify(error: unknown, idempotent: boolean): ErrorClassification {
  return classifyError(error, { idempotent, nowMs: NOW });
}

function response(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

describe('classifyError', () => {
  describe('rate limits', () => {
    it('retries a 429 whether or not the call is idempotent, counts it, and reads the wait', () => {
      for (const idempotent of [true, false]) {
        expect(classify(response(429, { 'Retry-After': '30' }), idempotent)).toEqual({
          rateLimited: true,
          retryable: true,
          countsAsFailure: true,
          retryAfterMs: 30_000,
          status: 429,
        });
      }
    });

    it('handles the real shapes: ra-core HttpError, a supabase-js result, a supabase-js AuthApiError', () => {
      expect(classify(new HttpError('Too Many Requests', 429, null), false)).toMatchObject({
        rateLimited: true,
        retryable: true,
        retryAfterMs: null,
        status: 429,
      });
      expect(classify(supabaseRateLimitResult(), false)).toMatchObject({ rateLimited: true, retryable: true, status: 429 });
      expect(classify(new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'), false)).toMatchObject({
        rateLimited: true,
      });
    });

    it('treats a 403 that says "rate limit" as a rate limit', () => {
      expect(classify(new HttpError('You have exceeded a secondary rate limit', 403, null), false)).toMatchObject({
        rateLimited: true,
        retryable: true,
        countsAsFailure: true,
        status: 403,
      });
    });
  });

  describe('outages', () => {
    it.each([502, 503, 504, 408])('retries a %i only when idempotent, and counts it', (status) => {
      expect(classify(response(status), true)).toMatchObject({ rateLimited: false, retryable: true, countsAsFailure: true, status });
      expect(classify(response(status), false)).toMatchObject({ rateLimited: false, retryable: false, countsAsFailure: true, status });
    });

    it('reads Retry-After for a 503, idempotent or not, but retries it only when idempotent', () => {
      expect(classify(response(503, { 'Retry-After': '20' }), true)).toEqual({
        rateLimited: false,
        retryable: true,
        countsAsFailure: true,
        retryAfterMs: 20_000,
        status: 503,
      });
      expect(classify(response(503, { 'Retry-After': '20' }), false)).toMatchObject({ retryable: false, retryAfterMs: 20_000 });
    });

    it('does not read Retry-After for other statuses', () => {
      expect(classify(response(502, { 'Retry-After': '20' }), true).retryAfterMs).toBeNull();
      expect(classify(response(500, { 'Retry-After': '20' }), true).retryAfterMs).toBeNull();
    });

    it.each([500, 501, 505, 520, 599])('never retries a %i, and counts it', (status) => {
      for (const idempotent of [true, false]) {
        expect(classify(response(status), idempotent)).toEqual({
          rateLimited: false,
          retryable: false,
          countsAsFailure: true,
          retryAfterMs: null,
          status,
        });
      }
    });

    it('retries a real network error only when idempotent, and counts it', async () => {
      const error = await refusedFetchError();
      expect(classify(error, true)).toEqual({
        rateLimited: false,
        retryable: true,
        countsAsFailure: true,
        retryAfterMs: null,
        status: undefined,
      });
      expect(classify(error, false)).toMatchObject({ retryable: false, countsAsFailure: true });
    });

    it('treats a real supabase-js network failure result (status 0) as a network error', async () => {
      const result = await supabaseClient(`http://127.0.0.1:${await closedPort()}`).from('contacts').select().retry(false);
      expect(classify(result, true)).toMatchObject({ retryable: true, countsAsFailure: true, status: undefined });
    });
  });

  describe('bad requests', () => {
    it.each([400, 401, 403, 404, 409, 422])('never retries a %i and does not count it: the server is up', (status) => {
      for (const idempotent of [true, false]) {
        expect(classify(new HttpError('Bad', status, null), idempotent)).toEqual({
          rateLimited: false,
          retryable: false,
          countsAsFailure: false,
          retryAfterMs: null,
          status,
        });
      }
    });
  });

  describe('cancellations', () => {
    it.each(['AbortError', 'TimeoutError'])('neither retries nor counts a %s', (name) => {
      for (const idempotent of [true, false]) {
        expect(classify(new DOMException('stopped', name), idempotent)).toEqual({
          rateLimited: false,
          retryable: false,
          countsAsFailure: false,
          retryAfterMs: null,
          status: undefined,
        });
      }
    });

    it("neither retries nor counts Node's AbortError, known by its code ABORT_ERR", () => {
      expect(classify(Object.assign(new Error('The operation was aborted'), { code: 'ABORT_ERR' }), true)).toMatchObject({
        retryable: false,
        countsAsFailure: false,
      });
    });

    it('neither retries nor counts a real aborted fetch', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = await fetch(`http://127.0.0.1:${await closedPort()}/`, { signal: controller.signal }).catch((e: unknown) => e);
      expect(classify(error, true)).toMatchObject({ retryable: false, countsAsFailure: false });
    });
  });

  describe('anything else', () => {
    it('does not retry but counts a plain error, a string, or nothing at all', () => {
      for (const error of [new Error('boom'), new TypeError("Cannot read properties of undefined (reading 'id')"), 'boom', undefined, null]) {
        expect(classify(error, true)).toEqual({
          rateLimited: false,
          retryable: false,
          countsAsFailure: true,
          retryAfterMs: null,
          status: undefined,
        });
      }
    });
  });

  it('holds its invariants for anything (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true }), fc.boolean(), (error, idempotent) => {
        const verdict = classifyError(error, { idempotent, nowMs: NOW });
        // A retry is only ever for a failure; a rate limit is always retried.
        if (verdict.retryable && !verdict.countsAsFailure) return false;
        if (verdict.rateLimited && !verdict.retryable) return false;
        return verdict.retryAfterMs === null || (Number.isSafeInteger(verdict.retryAfterMs) && verdict.retryAfterMs >= 0);
      }),
    );
  });
});
