import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FunctionsFetchError } from '@supabase/supabase-js';
import { isNetworkError } from '../../src/classify/index.js';
import { closedPort, refusedFetchError, supabaseClient } from './fixtures.js';

const CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
];

function withCode(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('isNetworkError', () => {
  it("is true for Node 20's real fetch error when the connection is refused", async () => {
    const error = await refusedFetchError();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isNetworkError(error)).toBe(true);
  });

  it('is true for what a real supabase-js client gives when the server cannot be reached', async () => {
    const client = supabaseClient(`http://127.0.0.1:${await closedPort()}`);
    const result = await client.from('contacts').select().retry(false);
    expect(result.status).toBe(0);
    expect(isNetworkError(result)).toBe(true);
    const invoked = await client.functions.invoke('send-email');
    expect(invoked.error).toBeInstanceOf(FunctionsFetchError);
    expect(isNetworkError(invoked.error)).toBe(true);
  });

  it('is true for the browsers’ fetch TypeErrors', () => {
    expect(isNetworkError(new TypeError('Failed to fetch'))).toBe(true);
    expect(isNetworkError(new TypeError('NetworkError when attempting to fetch resource.'))).toBe(true);
    expect(isNetworkError(new TypeError('Load failed'))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed'))).toBe(true);
  });

  it('is false for those messages on something that is not a TypeError, and for other TypeErrors', () => {
    expect(isNetworkError(new Error('Failed to fetch'))).toBe(false);
    expect(isNetworkError(new TypeError("Cannot read properties of undefined (reading 'json')"))).toBe(false);
  });

  it.each(CODES)('is true for %s on the error, its cause, and its cause’s cause', (code) => {
    expect(isNetworkError(withCode(code))).toBe(true);
    expect(isNetworkError(new TypeError('fetch failed', { cause: withCode(code) }))).toBe(true);
    expect(isNetworkError(new Error('save failed', { cause: new Error('request failed', { cause: withCode(code) }) }))).toBe(
      true,
    );
  });

  it('does not look deeper than two causes', () => {
    const deep = new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: withCode('ECONNRESET') }) }) });
    expect(isNetworkError(deep)).toBe(false);
  });

  it('is false for other codes', () => {
    expect(isNetworkError(withCode('ENOENT'))).toBe(false);
    expect(isNetworkError(withCode('ERR_INVALID_ARG_TYPE'))).toBe(false);
  });

  it('is never true for a cancellation, even one caused by a socket error', async () => {
    expect(isNetworkError(new DOMException('This operation was aborted', 'AbortError'))).toBe(false);
    expect(isNetworkError(new DOMException('The operation timed out.', 'TimeoutError'))).toBe(false);
    const timeout = Object.assign(new DOMException('The operation timed out.', 'TimeoutError'), {
      cause: withCode('ETIMEDOUT'),
    });
    expect(isNetworkError(timeout)).toBe(false);

    const controller = new AbortController();
    controller.abort();
    const aborted = await fetch(`http://127.0.0.1:${await closedPort()}/`, { signal: controller.signal }).catch(
      (error: unknown) => error,
    );
    expect((aborted as Error).name).toBe('AbortError');
    expect(isNetworkError(aborted)).toBe(false);
  });

  it('is false for primitives, nullish values, HTTP errors and hostile objects', () => {
    for (const value of [null, undefined, 'fetch failed', 'ECONNREFUSED', 0, false, new Response(null, { status: 503 })]) {
      expect(isNetworkError(value)).toBe(false);
    }
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(isNetworkError(hostile)).toBe(false);
    const { proxy, revoke } = Proxy.revocable(withCode('ECONNRESET'), {});
    revoke();
    expect(isNetworkError(proxy)).toBe(false);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isNetworkError(a)).toBe(false);
  });

  it('never throws, for anything (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true }), (value) => {
        expect(typeof isNetworkError(value)).toBe('boolean');
      }),
    );
  });
});
