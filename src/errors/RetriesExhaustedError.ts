import { inspectSafely } from './inspectSafely.js';
import { MESSAGES } from './messages.js';

export const RETRIES_EXHAUSTED_CODE = 'RATE_LIMIT_MAX_RETRIES_EXCEEDED' as const;

/**
 * Thrown when every attempt of a retryable call failed, or when the server asked to wait longer than
 * `maxRetryAfterMs` allows. The last error is kept as `cause`.
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

  constructor(options: { attempts: number; retryAfterMs: number | null; cause: unknown; retryAfterTooLong?: boolean }) {
    super(MESSAGES.rateLimited, { cause: options.cause });
    this.name = 'RetriesExhaustedError';
    this.attempts = options.attempts;
    this.retryAfterMs = options.retryAfterMs;
    this.retryAfterTooLong = options.retryAfterTooLong ?? false;
  }
  /** What `console.log`/`util.inspect` print: the cause summarised and redacted, never its request headers. */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    return inspectSafely(this, depth, options, inspect);
  }

}

/** True for a `RetriesExhaustedError`, also one thrown by another copy of this package. */
export function isRetriesExhaustedError(error: unknown): error is RetriesExhaustedError {
  return (
    error instanceof RetriesExhaustedError ||
    (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === RETRIES_EXHAUSTED_CODE)
  );
}
