import type { Executor } from '../createExecutor.js';
import { isRetriesExhaustedError } from '../errors/RetriesExhaustedError.js';
import { isCircuitOpenError } from '../errors/CircuitOpenError.js';
import { describeValue, rejectUnknownKeys } from '../options-shared.js';
import type { AttemptContext } from '../types.js';
import { FetchResponseError, isFetchResponseError } from './FetchResponseError.js';
import { DEFAULT_IDEMPOTENT_METHODS, isIdempotentRequest, type FetchRequestInfo } from './isIdempotentRequest.js';

/** Options of {@link createResilientFetch}. */
export interface ResilientFetchOptions {
  /**
   * Methods retried after an ambiguous failure (502, 503, 504, 408, a network error, an attempt timeout).
   * Default GET, HEAD, OPTIONS, PUT, DELETE. A POST is also retried when it is an upsert or carries an
   * `Idempotency-Key` (see `isIdempotentRequest`). A 429 is always retried.
   */
  idempotentMethods?: readonly string[];
  /** Decides idempotency yourself; replaces `idempotentMethods` and the upsert rule. */
  idempotent?: (request: FetchRequestInfo) => boolean;
  /**
   * Which responses are failures: thrown inside the executor so that they are retried (when retryable) and counted
   * against the circuit. Default: 408, 429 and every 5xx. Other responses (2xx, 3xx, 400, 401, 404, 409…) are answers:
   * they go back to the caller at once, and count as the server being up.
   */
  isFailedResponse?: (response: Response, request: FetchRequestInfo) => boolean;
  /**
   * What the executor's logger is told about the call. Default `"POST /rest/v1/contacts"`: the method and the path,
   * never the query or fragment (which may hold an `apikey`), for relative URLs as for absolute ones.
   */
  context?: (request: FetchRequestInfo) => unknown;
}

/** Rejects a retry of a request whose body cannot be sent twice; carries the attempt's error. */
class NotResendable {
  constructor(readonly error: unknown) {}
}

/** `instanceof` without throwing: a caller's error may be a `Proxy` whose prototype cannot be read. */
function isNotResendable(error: unknown): error is NotResendable {
  try {
    return error instanceof NotResendable;
  } catch {
    return false;
  }
}

function defaultIsFailedResponse(response: Response): boolean {
  return response.status === 429 || response.status === 408 || response.status >= 500;
}

/** `"POST /rest/v1/contacts"`: the method and the path, never the query (`?apikey=…`) nor the fragment. */
function defaultContext(request: FetchRequestInfo): string {
  let path: string;
  try {
    path = new URL(request.url).pathname;
  } catch {
    // A relative URL (browser code passing '/rest/v1/…?apikey=…'): its path is what comes before '?' or '#'.
    path = request.url.replace(/[?#][\s\S]*$/, '');
  }
  return `${request.method} ${path}`;
}

function isRequest(input: unknown): input is Request {
  return typeof Request === 'function' && input instanceof Request;
}

function isReadableStream(body: unknown): boolean {
  return typeof ReadableStream === 'function' && body instanceof ReadableStream;
}

/** Lets a failed response go: its body is never read, and an unread body holds the connection. */
function release(response: Response | undefined): void {
  if (response === undefined || response.bodyUsed || response.body === null) return;
  // Cancelling can only fail if the stream is already errored or locked, and then there is nothing left to free.
  response.body.cancel().catch(() => undefined);
}

function combine(attemptSignal: AbortSignal, callerSignal: AbortSignal | undefined): AbortSignal {
  if (callerSignal === undefined || callerSignal === attemptSignal) return attemptSignal;
  // AbortSignal.any is in Node >= 20.3 and every current browser. Without it the attempt's signal alone still follows
  // the caller's: the caller's signal is given to `execute`, which aborts the attempt with it.
  return typeof AbortSignal.any === 'function' ? AbortSignal.any([attemptSignal, callerSignal]) : attemptSignal;
}

function describeRequest(input: RequestInfo | URL, init: RequestInit | undefined): FetchRequestInfo {
  const request = isRequest(input) ? input : undefined;
  const url = request !== undefined ? request.url : input instanceof URL ? input.href : String(input);
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const headers = new Headers(request?.headers);
  if (init?.headers !== undefined) new Headers(init.headers).forEach((value, name) => headers.set(name, value));
  return { method, url, headers };
}

const RESILIENT_FETCH_KEYS: readonly string[] = ['idempotentMethods', 'idempotent', 'isFailedResponse', 'context'];

function checkOptions(executor: unknown, baseFetch: unknown, options: unknown): asserts options is ResilientFetchOptions {
  const e = executor as Partial<Executor> | null;
  if (typeof e !== 'object' || e === null || typeof e.execute !== 'function') {
    throw new TypeError(`xstate-circuit-breaker: createResilientFetch() needs an executor from createExecutor(), got ${describeValue(executor)}.`);
  }
  if (baseFetch !== undefined && typeof baseFetch !== 'function') {
    throw new TypeError(`xstate-circuit-breaker: createResilientFetch() baseFetch must be a fetch function, got ${describeValue(baseFetch)}.`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: createResilientFetch() options must be an object, got ${describeValue(options)}.`);
  }
  rejectUnknownKeys(options, RESILIENT_FETCH_KEYS, '', 'createResilientFetch() ');
  const o = options as Record<string, unknown>;
  for (const name of ['idempotent', 'isFailedResponse', 'context']) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw new TypeError(`xstate-circuit-breaker: option "${name}" must be a function, got ${describeValue(o[name])}.`);
    }
  }
  const methods = o.idempotentMethods;
  if (methods !== undefined && (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string'))) {
    throw new TypeError(`xstate-circuit-breaker: option "idempotentMethods" must be an array of method names, got ${describeValue(methods)}.`);
  }
}

/**
 * Wraps `fetch` so that every request goes through `executor`: paced to the server's limit, retried on 429 (honouring
 * `Retry-After` and `RateLimit-*`), retried on 502/503/504 and network errors when idempotent, and refused while the
 * circuit is open. Give it to supabase-js, whose data, auth, storage and functions calls all use it.
 *
 * What the caller gets back:
 * - a `Response` for every answer of the server. A failed one (429, 408, 5xx) is retried first; when the retries are
 *   exhausted (or the failure is not retryable: a 503 to a POST), the **last failed `Response`** comes back, body
 *   unread, so that supabase-js builds its usual `{ data: null, error, status: 429 }` result from it;
 * - a rejection with `CircuitOpenError` while the circuit is open (no request is sent), also when it opened while this
 *   call was waiting to retry. supabase-js turns a rejected fetch into `{ error: { message: 'CircuitOpenError: …' },
 *   status: 0 }`, or throws it as it is under `.throwOnError()`;
 * - a rejection with the last error when the request never got an answer (network error, attempt timeout) after the
 *   allowed retries, as `fetch` itself would reject; with the abort reason when the caller's `signal` aborts.
 *
 * The body is sent again on each attempt: strings (what supabase-js sends), `URLSearchParams`, `Blob`, `FormData`,
 * `ArrayBuffer` and a `Request` input (cloned per attempt) are all re-sendable. A `ReadableStream` body is not: such a
 * request is sent once and its failed `Response` returned without retry (the circuit still refuses it while open).
 *
 * The executor sees each answer that is not a failure as the call's value, so its pacer learns the server's
 * `RateLimit-*` headers from them.
 *
 * Notes for users:
 * - postgrest-js (>= 2.102) retries GET/HEAD itself on 503/520 and network errors (and a rejected fetch, such as
 *   `CircuitOpenError`, looks like a network error to it). Call `.retry(false)` on those queries, or accept that its
 *   retries multiply this executor's.
 * - In a browser, `Retry-After` and `RateLimit-*` are not CORS-safelisted: the server must send
 *   `Access-Control-Expose-Headers: Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy`
 *   or they are invisible here and the executor falls back to its own back-off.
 *
 * @throws {@link TypeError} when `executor` is not an executor, `baseFetch` not a function, or an option has the
 * wrong type or an unknown name.
 * @param executor - The executor every request goes through; share it with other code that calls the same server.
 * @param baseFetch - The fetch that sends each attempt. Default: `globalThis.fetch`, looked up on every call (so a
 *   fetch installed later, such as a test double or a polyfill, is used).
 * @param options - See {@link ResilientFetchOptions}.
 * @example
 * import { createClient } from '@supabase/supabase-js'
 * import { createExecutor } from 'xstate-circuit-breaker'
 * import { createResilientFetch } from 'xstate-circuit-breaker/supabase'
 *
 * const executor = createExecutor({ maxRetries: 3 })
 * const supabase = createClient(SUPABASE_URL, SUPABASE_ANON_KEY, {
 *   global: { fetch: createResilientFetch(executor) },
 * })
 * const { data, error, status } = await supabase.from('contacts').insert({ email }).select()
 * // status 429 here means the server still refused after every retry
 */
export function createResilientFetch(executor: Executor, baseFetch?: typeof fetch, options: ResilientFetchOptions = {}): typeof fetch {
  checkOptions(executor, baseFetch, options);
  const methods = (options.idempotentMethods ?? DEFAULT_IDEMPOTENT_METHODS).map((m) => m.toUpperCase());
  const idempotentOf = options.idempotent ?? ((request: FetchRequestInfo) => isIdempotentRequest(request, methods));
  const isFailed = options.isFailedResponse ?? defaultIsFailedResponse;
  const contextOf = options.context ?? defaultContext;

  const resilientFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = describeRequest(input, init);
    const original = isRequest(input) ? input : undefined;
    const callerSignal = init?.signal ?? original?.signal ?? undefined;
    const resendable = !isReadableStream(init?.body);
    const send = baseFetch ?? globalThis.fetch;
    /** The failed response of the latest attempt, kept unread in case it is the one to return. */
    let held: Response | undefined;

    const attempt = async ({ signal }: AttemptContext): Promise<Response> => {
      release(held);
      held = undefined;
      const target = original !== undefined ? original.clone() : input;
      const response = await send(target, { ...init, signal: combine(signal, callerSignal) });
      if (isFailed(response, request)) {
        held = response;
        throw new FetchResponseError(response, request);
      }
      return response;
    };

    try {
      return await executor.execute(attempt, {
        signal: callerSignal,
        idempotent: idempotentOf(request),
        context: contextOf(request),
        onRetry: resendable
          ? undefined
          : ({ error }) => {
              throw new NotResendable(error);
            },
      });
    } catch (error) {
      // The call whose failure opened the circuit rejects with a CircuitOpenError holding its last response: a fetch
      // caller gets that response, as after retries run out; calls refused by an open circuit get the error.
      const last =
        isNotResendable(error)
          ? error.error
          : isRetriesExhaustedError(error) || (isCircuitOpenError(error) && error.tripped && isFetchResponseError(error.cause))
            ? error.cause
            : error;
      if (isFetchResponseError(last) && last.response === held) return last.response;
      release(held);
      throw last;
    }
  };
  return resilientFetch;
}
