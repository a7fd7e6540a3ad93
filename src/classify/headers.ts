import { equalsIgnoreCase } from './equalsIgnoreCase.js';
import { isResponseLike } from './isResponseLike.js';
import { readProperty } from './readProperty.js';

/**
 * The value of one header, or `null` when it is absent or cannot be read.
 *
 * `source` may be a fetch `Headers` (or anything with a `get` method: axios' `AxiosHeaders`, a `Map`), or a plain
 * object such as Node's `IncomingHttpHeaders`, looked up ignoring case. In a plain object an array value (a repeated
 * header) is joined with `', '`, as `Headers` does, and a number is turned into its string. Anything else gives `null`.
 * Never throws.
 *
 * @example
 * readHeader(new Headers({ 'Retry-After': '120' }), 'retry-after') // '120'
 * readHeader({ 'X-RateLimit-Remaining': 0 }, 'x-ratelimit-remaining') // '0'
 * readHeader({ 'retry-after': ['1', '5'] }, 'Retry-After') // '1, 5'
 * readHeader(undefined, 'retry-after') // null
 */
export function readHeader(source: unknown, name: string): string | null {
  if (source === null || (typeof source !== 'object' && typeof source !== 'function')) return null;
  try {
    const record = source as Record<string, unknown>;
    const get = record['get'];
    if (typeof get === 'function') return toHeaderValue(get.call(source, name));

    const exact = record[name];
    if (exact !== undefined) return toHeaderValue(exact);
    for (const key in record) {
      if (equalsIgnoreCase(key, name)) return toHeaderValue(record[key]);
    }
    return null;
  } catch {
    // A throwing getter, a revoked proxy or an invalid header name: there is no header we can read.
    return null;
  }
}

/**
 * The response headers an error carries, or `null`: `error.headers` (the error is a `Response`, or copies them),
 * `error.response.headers` (ky, ofetch, axios), or `error.context.headers` when `context` is a `Response`
 * (supabase-js `FunctionsHttpError`). The result is meant for {@link readHeader}. Never throws.
 *
 * @example
 * const headers = findHeaders(new Response(null, { status: 429, headers: { 'Retry-After': '3' } }))
 * readHeader(headers, 'retry-after') // '3'
 * findHeaders(new Error('boom')) // null
 */
export function findHeaders(error: unknown): object | null {
  const own = readProperty(error, 'headers');
  if (isObjectLike(own)) return own;

  const fromResponse = readProperty(readProperty(error, 'response'), 'headers');
  if (isObjectLike(fromResponse)) return fromResponse;

  const context = readProperty(error, 'context');
  if (isResponseLike(context)) {
    const fromContext = readProperty(context, 'headers');
    if (isObjectLike(fromContext)) return fromContext;
  }
  return null;
}

function isObjectLike(value: unknown): value is object {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

function toHeaderValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    let joined: string | null = null;
    for (const item of value) {
      const part = typeof item === 'string' ? item : typeof item === 'number' ? String(item) : null;
      if (part !== null) joined = joined === null ? part : `${joined}, ${part}`;
    }
    return joined;
  }
  return null;
}
