import { HttpError } from 'ra-core';
import { describe, expect, it } from 'vitest';
import { getRetryAfterMs } from '../../src/classify/index.js';
import {
  CIRCUIT_OPEN_CODE,
  CircuitOpenError,
  isCircuitOpenError,
  isRetriesExhaustedError,
  RETRIES_EXHAUSTED_CODE,
  RetriesExhaustedError,
} from '../../src/errors/index.js';
import { toHttpError } from '../../src/ra-core/index.js';

const serverError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new HttpError('from the server', status, body), { headers: new Headers(headers) });

describe('toHttpError', () => {
  it('turns an open circuit into a 503 HttpError with the message React Admin shows', () => {
    const error = toHttpError(new CircuitOpenError({ retryAfterMs: 4000, state: 'open' })) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe('Too many requests. Wait 1-2 minutes before trying again.');
    expect(error.status).toBe(503);
    expect(error.body).toEqual({ code: CIRCUIT_OPEN_CODE, retryAfterMs: 4000 });
    expect(isCircuitOpenError(error)).toBe(true);
    expect(getRetryAfterMs(error)).toBe(4000);
  });

  it('turns exhausted retries after 429s into a 429 HttpError that keeps the server body and headers', () => {
    const last = serverError(429, { code: '429', message: 'Too Many Requests', hint: 'Retry after 1 s.' }, { 'Retry-After': '1' });
    const exhausted = new RetriesExhaustedError({ attempts: 4, retryAfterMs: 1000, cause: last });
    const error = toHttpError(exhausted) as HttpError & { headers: Headers; cause: unknown };
    expect(error).toBeInstanceOf(HttpError);
    expect(error.message).toBe('System overloaded. Try again in a few moments.');
    expect(error.status).toBe(429);
    expect(error.body).toEqual({ code: RETRIES_EXHAUSTED_CODE, retryAfterMs: 1000, message: 'Too Many Requests', hint: 'Retry after 1 s.' });
    expect(error.headers.get('retry-after')).toBe('1');
    expect(error.cause).toBe(exhausted);
    expect(isRetriesExhaustedError(error)).toBe(true);
  });

  it('keeps the last status of retries exhausted on 503s, and says the server is not answering rather than too many requests', () => {
    const error = toHttpError(new RetriesExhaustedError({ attempts: 4, retryAfterMs: null, cause: serverError(503, null) })) as HttpError;
    expect(error).toMatchObject({ status: 503, message: 'The server is not answering. Try again in a few moments.' });
    expect(error.body).toEqual({ code: RETRIES_EXHAUSTED_CODE, retryAfterMs: null });
    const network = toHttpError(new RetriesExhaustedError({ attempts: 2, retryAfterMs: null, cause: new TypeError('fetch failed') }));
    expect(network).toMatchObject({ status: 503, message: 'The server is not answering. Try again in a few moments.' });
    const later = toHttpError(new RetriesExhaustedError({ attempts: 4, retryAfterMs: 41_200, cause: serverError(503, null) }));
    expect(later).toMatchObject({ status: 503, message: 'The server is not answering. Next try in 42 s.' });
  });

  it('leaves every other error untouched', () => {
    const validation = serverError(400, { errors: { email: 'taken' } });
    const abort = new DOMException('aborted', 'AbortError');
    expect(toHttpError(validation)).toBe(validation);
    expect(toHttpError(abort)).toBe(abort);
    expect(toHttpError('text')).toBe('text');
  });
});
