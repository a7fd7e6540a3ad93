import { hasErrorCode } from '../errors/hasErrorCode.js';

/** The stable `code` of a {@link RedisPacerTimeoutError}, for a check that survives two copies of the package. */
export const REDIS_PACER_TIMEOUT_CODE = 'REDIS_PACER_TIMEOUT' as const;

/**
 * Redis did not answer a Redis pacer's script within its `timeoutMs`. No call fails with it: the slot is paced by the
 * local pacer instead, and the error goes to the pacer's `onError` and its stats.
 */
export class RedisPacerTimeoutError extends Error {
  readonly code = REDIS_PACER_TIMEOUT_CODE;
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Redis did not answer the pacer's script within ${timeoutMs} ms; the slot is paced locally. Check that Redis is up and not overloaded.`);
    this.name = 'RedisPacerTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** True for a `RedisPacerTimeoutError`, also one made by another copy of this package. */
export function isRedisPacerTimeoutError(error: unknown): error is RedisPacerTimeoutError {
  return hasErrorCode(error, RedisPacerTimeoutError, REDIS_PACER_TIMEOUT_CODE);
}
