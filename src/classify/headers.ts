import { equalsIgnoreCase } from './equalsIgnoreCase.js';
import { isResponseLike } from './isResponseLike.js';
import { readProperty } from './readProperty.js';

/**
 * The value of one header, or `null` when it is absent or cannot be read.
 *
 * `source` may be a fetch `Headers` (or anything else with a `get` method, such as axios' `AxiosHeaders`), a `Map`,
 * or a plain object such as Node's `IncomingHttpHeaders`. A `Map` and a plain object are looked up ignoring case;
 * in them an array value (a repeated header) is joined with `', '`, as `Headers` does, a number is turned into its
 * string, and the same header written under several cases (`'retry-after'` and `'Retry-After'`) is joined the same
 * way, as HTTP joins a repeated field, so the parser's rule for lists (the longest wait, the fewest remaining) decides
 * rather than which key came first. Anything else gives `null`. Never throws.
 *
 * @example
 * readHeader(new Headers({ 'Retry-After': '120' }), 'retry-after') // '120'
 * readHeader(new Map([['Retry-After', '2']]), 'retry-after') // '2'
 * readHeader({ 'X-RateLimit-Remaining': 0 }, 'x-ratelimit-remaining') // '0'
 * readHeader({ 'retry-after': ['1', '5'] }, 'Retry-After') // '1, 5'
 * readHeader({ 'retry-after': '1', 'Retry-After': '30' }, 'retry-after') // '1, 30'
 * readHeader(undefined, 'retry-after') // null
 */
export function readHeader(source: unknown, name: string): string | null {
  if (source === null || (typeof source !== 'object' && typeof source !== 'function')) return null;
  try {
    // A Map's own get is case-sensitive: walk its entries instead (checked first, as a Map has a get).
    if (isMap(source)) {
      let joined: string | null = null;
      Map.prototype.forEach.call(source, (value: unknown, key: unknown) => {
        if (typeof key === 'string' && equalsIgnoreCase(key, name)) joined = join(joined, toHeaderValue(value));
      });
      return joined;
    }

    const record = source as Record<string, unknown>;
    const get = record['get'];
    if (typeof get === 'function') return toHeaderValue(get.call(source, name));

    let joined: string | null = null;
    for (const key in record) {
      if (equalsIgnoreCase(key, name)) joined = join(joined, toHeaderValue(record[key]));
    }
    return joined;
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

/** A `Map` of this realm or another (an iframe's, a vm context's). */
function isMap(value: object): value is Map<unknown, unknown> {
  return value instanceof Map || Object.prototype.toString.call(value) === '[object Map]';
}

function join(joined: string | null, part: string | null): string | null {
  if (part === null) return joined;
  return joined === null ? part : `${joined}, ${part}`;
}

function toHeaderValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) {
    let joined: string | null = null;
    for (const item of value) {
      joined = join(joined, typeof item === 'string' ? item : typeof item === 'number' ? String(item) : null);
    }
    return joined;
  }
  return null;
}
