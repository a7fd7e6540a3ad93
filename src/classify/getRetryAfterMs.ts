import { findHeaders, readHeader } from './headers.js';
import { parseRateLimitHeaders } from './parseRateLimitHeaders.js';
import { parseRetryAfter } from './parseRetryAfter.js';
import { readProperty } from './readProperty.js';

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * How long the server asked to wait before the next request, in milliseconds, or `null` when it did not say.
 *
 * Reads the error's response headers (see {@link findHeaders}): `Retry-After` first; otherwise the reset of the
 * rate-limit headers (`RateLimit`, `RateLimit-Reset`, `X-RateLimit-Reset`…, see {@link parseRateLimitHeaders}), but
 * only when no request is left in the window (remaining is 0 or not given): a reset while requests remain is not a
 * wait. When the headers say nothing, a numeric `retryAfterMs` (milliseconds) or `retryAfter` (seconds) property on the
 * error is used. The result is not capped; compare it with your own maximum. Never throws.
 *
 * @param nowMs - The current time in epoch milliseconds, for HTTP-date and epoch resets; pass the injected clock's.
 * @example
 * const response = new Response(null, { status: 429, headers: { 'Retry-After': '30' } })
 * getRetryAfterMs(response, Date.now()) // 30000
 * getRetryAfterMs(new Error('boom')) // null
 */
export function getRetryAfterMs(error: unknown, nowMs: number = Date.now()): number | null {
  const headers = findHeaders(error);
  if (headers !== null) {
    const retryAfter = parseRetryAfter(readHeader(headers, 'retry-after'), nowMs);
    if (retryAfter !== null) return retryAfter;
    const info = parseRateLimitHeaders(headers, nowMs);
    if (info !== null && info.resetMs !== null && (info.remaining === null || info.remaining === 0)) {
      return info.resetMs;
    }
  }

  const ms = readProperty(error, 'retryAfterMs');
  if (isDuration(ms)) return ms >= MAX ? MAX : Math.ceil(ms);
  const seconds = readProperty(error, 'retryAfter');
  if (isDuration(seconds)) return seconds * 1000 >= MAX ? MAX : Math.round(seconds * 1000);
  return null;
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value !== Infinity;
}
