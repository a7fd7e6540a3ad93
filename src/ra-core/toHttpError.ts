import { HttpError } from 'ra-core';
import { getStatus } from '../classify/getStatus.js';
import { findHeaders } from '../classify/headers.js';
import { isRateLimitError } from '../classify/isRateLimitError.js';
import { readProperty } from '../classify/readProperty.js';
import { isCircuitOpenError } from '../errors/CircuitOpenError.js';
import { failureMessage, failureReasonOf } from '../errors/failureReason.js';
import { MESSAGES, type FailureReason } from '../errors/messages.js';
import { isRetriesExhaustedError } from '../errors/RetriesExhaustedError.js';

/** The `HttpError` {@link toHttpError} makes, with what it adds to ra-core's. */
export type CircuitHttpError = HttpError & {
  /** `RATE_LIMIT_CIRCUIT_OPEN` or `RATE_LIMIT_MAX_RETRIES_EXCEEDED`, so `isCircuitOpenError`/`isRetriesExhaustedError` still recognise it. */
  readonly code: string;
  /** How long to wait before trying again, when known (also in `body.retryAfterMs`). */
  readonly retryAfterMs: number | null;
  /** The headers of the last response, when the failure had one (Retry-After, RateLimit-*). */
  readonly headers?: object;
  /** The executor's error. */
  readonly cause: unknown;
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function decorate(error: HttpError, extra: Record<string, unknown>): CircuitHttpError {
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) Object.defineProperty(error, key, { value, enumerable: key !== 'cause', writable: true, configurable: true });
  }
  return error as CircuitHttpError;
}

/**
 * Turns the executor's own errors into the ra-core `HttpError`s React Admin shows in its notification, and leaves every
 * other error as it is:
 *
 * - `CircuitOpenError` → `HttpError("Too many requests. Wait 1-2 minutes before trying again.", 503, { code, retryAfterMs })`;
 * - `RetriesExhaustedError` after 429s → `HttpError("System overloaded. Try again in a few moments.", 429,
 *   { ...the server's body, code, retryAfterMs })`: the status and body of the last failure are kept (the server's own
 *   `code` field is replaced by the stable one; the server's body stays in full at `cause.cause.body`);
 * - either error after failures that are not rate limits (503, 502, 504, network errors, timeouts; `reason:
 *   'unavailable'`) → "The server is not answering. Next try in 42 s." (or "… Try again in a few moments." when the
 *   wait is unknown), with the last status (503 when there was none), since a line about a rate limit would be untrue.
 *
 * The `HttpError` also carries `code`, `retryAfterMs`, `cause` and, when the failure had them, the response `headers`.
 *
 * @example
 * try {
 *   await executor.execute(() => dataProvider.create('contacts', { data }))
 * } catch (error) {
 *   throw toHttpError(error) // useNotify shows "Too many requests. Wait 1-2 minutes before trying again."
 * }
 */
export function toHttpError(error: unknown): unknown {
  if (isCircuitOpenError(error)) {
    const { code, retryAfterMs } = error;
    const message = failureMessage(reasonOf(error), MESSAGES.circuitOpen, retryAfterMs);
    return decorate(new HttpError(message, 503, { code, retryAfterMs }), { code, retryAfterMs, cause: error });
  }
  if (isRetriesExhaustedError(error)) {
    const { code, retryAfterMs } = error;
    const last: unknown = error.cause;
    const rateLimited = last === undefined || isRateLimitError(last);
    const status = getStatus(last) ?? (rateLimited ? 429 : 503);
    const serverBody = readProperty(last, 'body');
    const body = { ...(isPlainObject(serverBody) ? serverBody : {}), code, retryAfterMs };
    const message = failureMessage(reasonOf(error), MESSAGES.retriesExhausted, retryAfterMs);
    return decorate(new HttpError(message, status, body), {
      code,
      retryAfterMs,
      headers: findHeaders(last) ?? undefined,
      cause: error,
    });
  }
  return error;
}

/** The error's own `reason`, or (for an error made by an older copy of this package) the one its `cause` tells. */
function reasonOf(error: { cause?: unknown }): FailureReason {
  const reason = readProperty(error, 'reason');
  if (reason === 'rate-limited' || reason === 'unavailable') return reason;
  const cause = readProperty(error, 'cause');
  return failureReasonOf(cause, cause !== undefined);
}
