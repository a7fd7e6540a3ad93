import { getRetryAfterMs } from './getRetryAfterMs.js';
import { getStatus } from './getStatus.js';
import { isAbortOrTimeout } from './isAbortOrTimeout.js';
import { isNetworkError } from './isNetworkError.js';
import { isRateLimitError } from './isRateLimitError.js';

/** What the executor should do about one failed attempt. */
export interface ErrorClassification {
  /** The server is rate limiting (429, or an error that says so); see {@link isRateLimitError}. */
  rateLimited: boolean;
  /** Another attempt may succeed and is safe to make. */
  retryable: boolean;
  /** The failure says the service is unhealthy, so it counts towards opening the circuit. */
  countsAsFailure: boolean;
  /** The wait the server asked for (only read for rate limits and 503), or `null`. */
  retryAfterMs: number | null;
  /** The HTTP status, when the error carries one; see {@link getStatus}. */
  status: number | undefined;
}

/** What `classifyError` needs to know besides the error. */
export interface ClassifyErrorOptions {
  /** The call is safe to repeat after an ambiguous failure (the request may have been processed). */
  idempotent: boolean;
  /** The current time in epoch milliseconds, from the injected clock, for HTTP-date and epoch resets. */
  nowMs: number;
}

/**
 * Decides, with the default policy, whether a failed attempt may be retried and whether it counts against the circuit.
 *
 * | error | retryable | counts as failure |
 * | --- | --- | --- |
 * | rate limited (429, "Too Many Requests", …) | yes | yes |
 * | 502, 503, 504, 408, network error | only when idempotent | yes |
 * | other 5xx (500, 501, …) | no | yes |
 * | other 4xx (400, 401, 404, 422, …) | no | no: the server is up, the request is bad |
 * | `AbortError` / `TimeoutError` | no | no: the caller cancelled |
 * | anything else | no | yes |
 *
 * A 503 is retried only for idempotent calls even with a `Retry-After`: the request may have been processed.
 * `retryAfterMs` is read (see {@link getRetryAfterMs}) only for rate limits and 503s. Never throws.
 *
 * @example
 * const response = new Response(null, { status: 503, headers: { 'Retry-After': '5' } })
 * classifyError(response, { idempotent: true, nowMs: Date.now() })
 * // { rateLimited: false, retryable: true, countsAsFailure: true, retryAfterMs: 5000, status: 503 }
 */
export function classifyError(error: unknown, options: ClassifyErrorOptions): ErrorClassification {
  const status = getStatus(error);
  const idempotent = options.idempotent === true;

  if (isAbortOrTimeout(error)) return verdict(false, false, false, null, status);
  if (isRateLimitError(error)) return verdict(true, true, true, getRetryAfterMs(error, options.nowMs), status);

  if (status !== undefined) {
    if (status === 503) return verdict(false, idempotent, true, getRetryAfterMs(error, options.nowMs), status);
    if (status === 502 || status === 504 || status === 408) return verdict(false, idempotent, true, null, status);
    if (status >= 500) return verdict(false, false, true, null, status);
    if (status >= 400) return verdict(false, false, false, null, status);
  }
  if (isNetworkError(error)) return verdict(false, idempotent, true, null, status);
  return verdict(false, false, true, null, status);
}

function verdict(
  rateLimited: boolean,
  retryable: boolean,
  countsAsFailure: boolean,
  retryAfterMs: number | null,
  status: number | undefined,
): ErrorClassification {
  return { rateLimited, retryable, countsAsFailure, retryAfterMs, status };
}
