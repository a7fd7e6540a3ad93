import { hasErrorCode } from '../errors/hasErrorCode.js';
import { redactSecrets } from '../security/redactSecrets.js';
/** The stable `code` of a {@link FetchResponseError}, for a check that survives two copies of the package. */
export const FETCH_RESPONSE_CODE = 'RATE_LIMIT_FAILED_RESPONSE' as const;

/**
 * A failed HTTP answer (429, 408 or 5xx) seen as an error, so that the executor classifies it, reads its
 * `Retry-After`/`RateLimit-*` headers and counts it against the circuit. {@link createResilientFetch} throws it inside
 * the executor only; its callers get the `Response` back. It reaches your own code through the executor's
 * `onRetry`, `logger`, `shouldRetry` and `isFailure` hooks.
 *
 * @example
 * const executor = createExecutor({
 *   // Also retry POSTs to one RPC that is safe to repeat, whatever the default policy says about 503:
 *   shouldRetry: (error, { classification }) =>
 *     classification.retryable || (isFetchResponseError(error) && error.url.endsWith('/rpc/get_or_create_segment')),
 * })
 */
export class FetchResponseError extends Error {
  readonly code = FETCH_RESPONSE_CODE;
  /** The HTTP status of the response (what `getStatus` reads). */
  readonly status: number;
  readonly statusText: string;
  /** The response's headers (what `getRetryAfterMs` and the pacer read). */
  readonly headers: Headers;
  /** The response itself, body unread. */
  readonly response: Response;
  /** The request method, upper case. */
  readonly method: string;
  /** The request URL. */
  readonly url: string;

  constructor(response: Response, request: { method: string; url: string }) {
    // The URL may carry an API key (`?apikey=…`): the message is redacted, `url` keeps the original for the caller.
    super(redactSecrets(`HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`} (${request.method} ${request.url})`));
    this.name = 'FetchResponseError';
    this.status = response.status;
    this.statusText = response.statusText;
    this.headers = response.headers;
    this.response = response;
    this.method = request.method;
    this.url = request.url;
  }
}

/**
 * True for a {@link FetchResponseError}, also one thrown by another copy of this package.
 *
 * @example
 * executor.execute(op, { onRetry: ({ error }) => isFetchResponseError(error) && console.warn(error.status) })
 */
export function isFetchResponseError(error: unknown): error is FetchResponseError {
  return hasErrorCode(error, FetchResponseError, FETCH_RESPONSE_CODE);
}
