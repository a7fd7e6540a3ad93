import { describe, it, expect } from 'vitest';
import { FunctionsHttpError } from '@supabase/supabase-js';
import { findHeaders, readHeader } from '../../src/classify/headers.js';

describe('readHeader', () => {
  it('reads a real Headers, ignoring case', () => {
    const headers = new Headers({ 'Retry-After': '120' });
    expect(readHeader(headers, 'retry-after')).toBe('120');
    expect(readHeader(headers, 'RETRY-AFTER')).toBe('120');
    expect(readHeader(headers, 'x-ratelimit-reset')).toBeNull();
  });

  it('gives a header appended twice as the comma-joined value', () => {
    const headers = new Headers();
    headers.append('Retry-After', '1');
    headers.append('Retry-After', '5');
    expect(readHeader(headers, 'retry-after')).toBe('1, 5');
  });

  it('reads a plain object ignoring case, joining arrays and stringifying numbers', () => {
    const headers = { 'X-RateLimit-Remaining': 0, 'retry-after': ['1', 5], 'content-type': 'application/json' };
    expect(readHeader(headers, 'x-ratelimit-remaining')).toBe('0');
    expect(readHeader(headers, 'Retry-After')).toBe('1, 5');
    expect(readHeader(headers, 'Content-Type')).toBe('application/json');
    expect(readHeader(headers, 'ratelimit')).toBeNull();
  });

  it('gives null for values it cannot read as text', () => {
    expect(readHeader({ 'retry-after': { seconds: 5 } }, 'retry-after')).toBeNull();
    expect(readHeader({ 'retry-after': [] }, 'retry-after')).toBeNull();
    expect(readHeader({ 'retry-after': null }, 'retry-after')).toBeNull();
  });

  it('uses the get method of other header containers', () => {
    const axiosLike = { get: (name: string) => (name.toLowerCase() === 'retry-after' ? '3' : undefined) };
    expect(readHeader(axiosLike, 'Retry-After')).toBe('3');
    expect(readHeader(axiosLike, 'ratelimit')).toBeNull();
  });

  it('reads a Map ignoring case, joining arrays and stringifying numbers', () => {
    expect(readHeader(new Map([['Retry-After', '2']]), 'retry-after')).toBe('2');
    expect(readHeader(new Map([['retry-after', '3']]), 'RETRY-AFTER')).toBe('3');
    expect(readHeader(new Map<unknown, unknown>([['X-RateLimit-Remaining', 0], [7, 'x']]), 'x-ratelimit-remaining')).toBe('0');
    expect(readHeader(new Map([['Retry-After', ['1', '5']]]), 'retry-after')).toBe('1, 5');
    expect(readHeader(new Map([['Retry-After', '2']]), 'ratelimit')).toBeNull();
  });

  it('joins the same header written under two cases with a comma, as HTTP joins a repeated field', () => {
    expect(readHeader({ 'retry-after': '1', 'Retry-After': '30' }, 'retry-after')).toBe('1, 30');
    expect(readHeader({ 'Retry-After': '30', 'retry-after': '1' }, 'Retry-After')).toBe('30, 1');
    expect(readHeader({ 'retry-after': ['1', '2'], 'RETRY-AFTER': '3', other: '9' }, 'retry-after')).toBe('1, 2, 3');
    expect(readHeader({ 'retry-after': null, 'Retry-After': '30' }, 'retry-after')).toBe('30');
    expect(readHeader(new Map([['retry-after', '1'], ['Retry-After', '30']]), 'retry-after')).toBe('1, 30');
  });

  it('gives null for a missing source and never throws', () => {
    expect(readHeader(undefined, 'retry-after')).toBeNull();
    expect(readHeader(null, 'retry-after')).toBeNull();
    expect(readHeader('Retry-After: 5', 'retry-after')).toBeNull();
    const throwing = {
      get 'retry-after'(): string {
        throw new Error('getter');
      },
    };
    expect(readHeader(throwing, 'retry-after')).toBeNull();
    expect(readHeader({ get: () => { throw new Error('get'); } }, 'retry-after')).toBeNull();
    expect(readHeader(new Headers(), 'not a header name')).toBeNull();
  });
});

describe('findHeaders', () => {
  it('finds the headers of a real Response', () => {
    const response = new Response(null, { status: 429, headers: { 'Retry-After': '3' } });
    expect(findHeaders(response)).toBe(response.headers);
  });

  it('finds headers on the error and on error.response', () => {
    const own = { 'retry-after': '1' };
    expect(findHeaders({ status: 429, headers: own })).toBe(own);
    const nested = { 'retry-after': '2' };
    expect(findHeaders({ response: { status: 429, headers: nested } })).toBe(nested);
  });

  it('finds the headers of the Response a supabase-js FunctionsHttpError holds in context', () => {
    const response = new Response(null, { status: 429, headers: { 'Retry-After': '4' } });
    expect(findHeaders(new FunctionsHttpError(response))).toBe(response.headers);
  });

  it('gives null when there are none', () => {
    expect(findHeaders(new Error('boom'))).toBeNull();
    expect(findHeaders({ headers: 'Retry-After: 5' })).toBeNull();
    expect(findHeaders({ context: { headers: { 'retry-after': '5' } } })).toBeNull();
    expect(findHeaders(null)).toBeNull();
    expect(findHeaders(429)).toBeNull();
  });
});
