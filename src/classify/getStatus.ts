import { isResponseLike } from './isResponseLike.js';
import { readProperty } from './readProperty.js';

/**
 * The HTTP status carried by an error-ish value, or `undefined` when it carries none.
 *
 * Looks, in order, at `status` (a fetch `Response`, ra-core's `HttpError`, a supabase-js result
 * `{ data, error, status }`, ofetch/ky-style errors), `statusCode`, `response.status`, `response.statusCode`,
 * `context.status` when `context` is a `Response` (supabase-js `FunctionsHttpError`), and finally `code` when it is
 * `429` or `'429'`. Each may be a number or a three-digit numeric string (`'503'`). Only integers from 100 to 599 count:
 * `status: 0` (a supabase-js network failure), `NaN`, `429.5` or `'abc'` are skipped and the next place is tried.
 * Never throws, whatever it is given.
 *
 * @example
 * getStatus(new Response(null, { status: 503 })) // 503
 * getStatus({ data: null, error: { message: 'Too Many Requests' }, status: 429 }) // 429 (a supabase-js result)
 * getStatus({ response: { statusCode: '502' } }) // 502
 * getStatus(new Error('boom')) // undefined
 */
export function getStatus(error: unknown): number | undefined {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return undefined;
  // A Response (or anything shaped like one) keeps its status in `status`, so it is the first place looked at.
  const own = toStatus(readProperty(error, 'status')) ?? toStatus(readProperty(error, 'statusCode'));
  if (own !== undefined) return own;

  const response = readProperty(error, 'response');
  const nested = toStatus(readProperty(response, 'status')) ?? toStatus(readProperty(response, 'statusCode'));
  if (nested !== undefined) return nested;

  const context = readProperty(error, 'context');
  if (isResponseLike(context)) {
    const fromContext = toStatus(readProperty(context, 'status'));
    if (fromContext !== undefined) return fromContext;
  }

  const code = readProperty(error, 'code');
  return code === 429 || code === '429' ? 429 : undefined;
}

function toStatus(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
  }
  if (typeof value === 'string' && value.length === 3) {
    const a = value.charCodeAt(0) - 48;
    const b = value.charCodeAt(1) - 48;
    const c = value.charCodeAt(2) - 48;
    if (a >= 1 && a <= 5 && b >= 0 && b <= 9 && c >= 0 && c <= 9) return a * 100 + b * 10 + c;
  }
  return undefined;
}
