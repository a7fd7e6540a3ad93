import { hasErrorCode } from './hasErrorCode.js';
import { inspectSafely } from './inspectSafely.js';
import { failureMessage, failureReasonOf } from './failureReason.js';
import { MESSAGES, type FailureReason } from './messages.js';

/** The stable `code` of a {@link RetriesExhaustedError}, for a check that survives two copies of the package. */
export const RETRIES_EXHAUSTED_CODE = 'RATE_LIMIT_MAX_RETRIES_EXCEEDED' as const;

/**
 * Thrown when every attempt of a retryable call failed, or when the server asked to wait longer than
 * `maxRetryAfterMs` allows. The last error is kept as `cause`.
 *
 * Its message is {@link MESSAGES.retriesExhausted} ("System overloaded. Try again in a few moments.") when the reason
 * is `'rate-limited'`, and "The server is not answering. Next try in 42 s." when it is `'unavailable'`.
 *
 * @example
 * try { await executor.execute(op) } catch (e) {
 *   if (isRetriesExhaustedError(e)) console.warn(e.attempts, e.retryAfterMs, e.cause)
 * }
 */
export class RetriesExhaustedError extends Error {
  readonly code = RETRIES_EXHAUSTED_CODE;
  /** Attempts made, the first included. */
  readonly attempts: number;
  /** The last wait the server asked for (Retry-After or RateLimit-Reset), in ms, or `null` if it gave none. */
  readonly retryAfterMs: number | null;
  /** True when the executor gave up early because the server's wait exceeded `maxRetryAfterMs`. */
  readonly retryAfterTooLong: boolean;
  /**
   * Why the attempts failed, as the message tells it: `'rate-limited'` (a 429, or no cause known) or `'unavailable'`
   * (the server is not answering: 5xx, network error, timeout). Derived from `cause` unless given.
   */
  readonly reason: FailureReason;

  constructor(options: {
    attempts: number;
    retryAfterMs: number | null;
    cause?: unknown;
    retryAfterTooLong?: boolean;
    reason?: FailureReason;
  }) {
    const hasCause = options.cause !== undefined;
    const reason = options.reason ?? failureReasonOf(options.cause, hasCause);
    super(failureMessage(reason, MESSAGES.retriesExhausted, options.retryAfterMs), hasCause ? { cause: options.cause } : undefined);
    this.name = 'RetriesExhaustedError';
    this.attempts = options.attempts;
    this.retryAfterMs = options.retryAfterMs;
    this.retryAfterTooLong = options.retryAfterTooLong ?? false;
    this.reason = reason;
  }

  /** The operation's own error (the `cause`), or `undefined` when there is none; the name seed callers read. */
  get originalError(): unknown {
    return this.cause;
  }
  /** What `console.log`/`util.inspect` print: the cause summarised and redacted, never its request headers. */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    return inspectSafely(this, depth, options, inspect);
  }

}

/** True for a `RetriesExhaustedError`, also one thrown by another copy of this package. */
export function isRetriesExhaustedError(error: unknown): error is RetriesExhaustedError {
  return hasErrorCode(error, RetriesExhaustedError, RETRIES_EXHAUSTED_CODE);
}
