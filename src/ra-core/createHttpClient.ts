import { HttpError } from 'ra-core';
import { describeValue, rejectUnknownKeys } from '../options-shared.js';

/** The options an `httpClient` receives: ra-core's `fetchUtils.Options`. */
export interface HttpClientRequestOptions extends RequestInit {
  /** When `authenticated` and `token` are both set, `token` is sent as the `Authorization` header, as is. */
  user?: {
    authenticated?: boolean;
    token?: string;
  };
}

/** What an `httpClient` resolves with, as ra-core's `fetchUtils.fetchJson`. */
export interface HttpClientResponse {
  status: number;
  headers: Headers;
  /** The response text. */
  body: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  json: any;
}

/** A drop-in for ra-core's `fetchUtils.fetchJson`. */
export type HttpClient = (url: string, options?: HttpClientRequestOptions) => Promise<HttpClientResponse>;

/** The `HttpError` a failed request rejects with: ra-core's, plus the response headers. */
export type HttpClientError = HttpError & { readonly headers: Headers };

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** The fetch that sends requests. Default: `globalThis.fetch`, looked up on every call. */
  fetch?: typeof fetch;
  /**
   * Headers sent with every request unless the request sets them itself: an object, or a function (sync or async)
   * called per request, for example to add the Supabase `apikey` and the session's `Authorization`.
   */
  headers?:
    | HeadersInit
    | ((url: string, options: HttpClientRequestOptions) => HeadersInit | undefined | Promise<HeadersInit | undefined>);
}

const HTTP_CLIENT_KEYS: readonly string[] = ['fetch', 'headers'];

function createHeaders(options: HttpClientRequestOptions): Headers {
  // As fetchUtils.createHeadersFromOptions, but on a copy (ra-core writes into the caller's Headers) and accepting a
  // plain object or an array as well as a Headers (ra-core calls `.has` on it and fails on anything but a Headers).
  const headers = options.headers ? new Headers(options.headers) : new Headers({ Accept: 'application/json' });
  const hasBody = Boolean(options.body);
  const isGetMethod = !options.method || options.method === 'GET';
  const isFormData = typeof FormData === 'function' && options.body instanceof FormData;
  if (hasBody && !headers.has('Content-Type') && !isGetMethod && !isFormData) {
    headers.set('Content-Type', 'application/json');
  }
  if (options.user && options.user.authenticated && options.user.token) {
    headers.set('Authorization', options.user.token);
  }
  return headers;
}

/**
 * Creates an `httpClient` that behaves like ra-core's `fetchUtils.fetchJson` (same signature, same default `Accept`
 * and `Content-Type` headers, same `user.authenticated`/`user.token` handling, same result, same `HttpError` for any
 * status outside 200-299) but keeps the response headers on that error as `error.headers`, so that the executor reads
 * `Retry-After` and `RateLimit-*` from a 429 (ra-core's own drops them). The error's `body` is the parsed JSON body,
 * untouched, as with fetchJson.
 *
 * Use it as the `httpClient` of ra-supabase-core's `supabaseDataProvider`, ra-data-postgrest or ra-data-simple-rest,
 * and wrap the data provider with `withCircuitBreaker`. A custom `httpClient` replaces ra-supabase-core's own, which
 * adds the `apikey` and the session token: add them with the `headers` option, as below.
 *
 * @throws {@link TypeError} when `options` is not an object, names an unknown option, or `fetch`/`headers` has the
 * wrong type.
 * @example
 * import { createClient } from '@supabase/supabase-js'
 * import { supabaseDataProvider } from 'ra-supabase-core'
 * import { createHttpClient, withCircuitBreaker } from 'xstate-circuit-breaker/ra-core'
 *
 * const supabaseClient = createClient(SUPABASE_URL, SUPABASE_ANON_KEY)
 * const httpClient = createHttpClient({
 *   headers: async () => {
 *     const { data } = await supabaseClient.auth.getSession()
 *     return {
 *       apikey: SUPABASE_ANON_KEY,
 *       ...(data.session ? { Authorization: `Bearer ${data.session.access_token}` } : {}),
 *     }
 *   },
 * })
 * const dataProvider = withCircuitBreaker(
 *   supabaseDataProvider({ instanceUrl: SUPABASE_URL, apiKey: SUPABASE_ANON_KEY, supabaseClient, httpClient }),
 *   { perResource: true },
 * )
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: createHttpClient() options must be an object, got ${describeValue(options)}.`);
  }
  rejectUnknownKeys(options, HTTP_CLIENT_KEYS, '', 'createHttpClient() ');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError(`xstate-circuit-breaker: option "fetch" must be a fetch function, got ${describeValue(options.fetch)}.`);
  }
  const extra = options.headers;
  if (extra !== undefined && (typeof extra !== 'function' && (typeof extra !== 'object' || extra === null))) {
    throw new TypeError(`xstate-circuit-breaker: option "headers" must be headers or a function, got ${describeValue(extra)}.`);
  }
  const fixed = extra === undefined || typeof extra === 'function' ? undefined : new Headers(extra);

  return async (url: string, requestOptions: HttpClientRequestOptions = {}): Promise<HttpClientResponse> => {
    const headers = createHeaders(requestOptions);
    const defaults = typeof extra === 'function' ? await extra(url, requestOptions) : fixed;
    if (defaults !== undefined) {
      new Headers(defaults).forEach((value, name) => {
        if (!headers.has(name)) headers.set(name, value);
      });
    }
    const { user: _user, ...init } = requestOptions;
    const send = options.fetch ?? globalThis.fetch;
    const response = await send(url, { ...init, headers });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: `json` stays undefined, as with fetchUtils.fetchJson.
    }
    const { status, statusText } = response;
    if (status < 200 || status >= 300) {
      const error = new HttpError((json && json.message) || statusText, status, json);
      Object.defineProperty(error, 'headers', { value: response.headers, enumerable: true, writable: true, configurable: true });
      throw error as HttpClientError;
    }
    return { status, headers: response.headers, body: text, json };
  };
}
