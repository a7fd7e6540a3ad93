import { describe, expect, it } from 'vitest';
import { DEFAULT_IDEMPOTENT_METHODS, isIdempotentRequest } from '../../src/supabase/index.js';

const request = (method: string, headers: Record<string, string> = {}) => ({ method, url: 'http://x/rest/v1/contacts', headers: new Headers(headers) });

describe('isIdempotentRequest', () => {
  it('says yes for GET, HEAD, OPTIONS, PUT and DELETE, and no for POST and PATCH', () => {
    for (const method of DEFAULT_IDEMPOTENT_METHODS) expect(isIdempotentRequest(request(method))).toBe(true);
    expect(isIdempotentRequest(request('POST'))).toBe(false);
    expect(isIdempotentRequest(request('PATCH'))).toBe(false);
  });

  it('says yes for a PostgREST upsert, with either duplicate resolution, among other preferences', () => {
    expect(isIdempotentRequest(request('POST', { Prefer: 'resolution=merge-duplicates' }))).toBe(true);
    expect(isIdempotentRequest(request('POST', { Prefer: 'return=representation,resolution=ignore-duplicates' }))).toBe(true);
    expect(isIdempotentRequest(request('POST', { Prefer: 'return=representation' }))).toBe(false);
    expect(isIdempotentRequest(request('POST', { Prefer: 'resolution=other-duplicates' }))).toBe(false);
    expect(isIdempotentRequest(request('PATCH', { Prefer: 'resolution=merge-duplicates' }))).toBe(false);
  });

  it('says yes for any method with an Idempotency-Key, and follows the methods it is given', () => {
    expect(isIdempotentRequest(request('PATCH', { 'Idempotency-Key': 'abc' }))).toBe(true);
    expect(isIdempotentRequest(request('DELETE'), ['GET'])).toBe(false);
    expect(isIdempotentRequest(request('PATCH'), ['PATCH'])).toBe(true);
  });
});
