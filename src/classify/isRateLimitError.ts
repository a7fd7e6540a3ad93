import { equalsIgnoreCase } from './equalsIgnoreCase.js';
import { getStatus } from './getStatus.js';
import { readProperty } from './readProperty.js';

/** Compiled once: "Too Many Requests", "rate limit", "rate-limit", "rate_limit", "ratelimit", any case. */
const RATE_LIMIT_TEXT = /too many requests|rate[ _-]?limit/i;

/**
 * True when an error-ish value says the server is rate limiting: its status (see {@link getStatus}) is 429; or its
 * `message`, the `error.message` of a supabase-js result, or its `statusText` mentions "Too Many Requests" or
 * "rate limit" ("rate-limit", "rate_limit", "ratelimit", any case); or its `code` is `RATE_LIMITED` or
 * `too_many_requests` (any case). GitHub's 403 "secondary rate limit" is caught by the message.
 *
 * Never throws: `null`, primitives, throwing getters and revoked proxies all give `false`.
 *
 * @example
 * isRateLimitError(new Response(null, { status: 429 })) // true
 * isRateLimitError({ data: null, error: { message: 'Too Many Requests' }, status: 429 }) // true (a supabase-js result)
 * isRateLimitError({ code: 'RATE_LIMITED' }) // true
 * isRateLimitError(new Error('Validation failed')) // false
 */
export function isRateLimitError(error: unknown): boolean {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return false;
  if (getStatus(error) === 429) return true;
  if (mentionsRateLimit(readProperty(error, 'message'))) return true;
  if (mentionsRateLimit(readProperty(readProperty(error, 'error'), 'message'))) return true;
  if (mentionsRateLimit(readProperty(error, 'statusText'))) return true;
  const code = readProperty(error, 'code');
  return typeof code === 'string' && (equalsIgnoreCase(code, 'RATE_LIMITED') || equalsIgnoreCase(code, 'too_many_requests'));
}

function mentionsRateLimit(text: unknown): boolean {
  return typeof text === 'string' && RATE_LIMIT_TEXT.test(text);
}
