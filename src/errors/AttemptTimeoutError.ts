import { hasErrorCode } from './hasErrorCode.js';
/** The stable `code` of an {@link AttemptTimeoutError}, for a check that survives two copies of the package. */
export const ATTEMPT_TIMEOUT_CODE = 'RATE_LIMIT_ATTEMPT_TIMEOUT' as const;

/**
 * An attempt ran longer than `attemptTimeoutMs`; its signal was aborted with this error. Retried like a network error
 * (only for idempotent calls) and counted against the circuit.
 */
export class AttemptTimeoutError extends Error {
  readonly code = ATTEMPT_TIMEOUT_CODE;
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super(`The attempt did not finish within ${timeoutMs} ms.`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AttemptTimeoutError';
    this.timeoutMs = timeoutMs;
  }

  /** The operation's own error (the `cause`), or `undefined` when there is none; the name seed callers read. */
  get originalError(): unknown {
    return this.cause;
  }
}

/** True for an `AttemptTimeoutError`, also one thrown by another copy of this package. */
export function isAttemptTimeoutError(error: unknown): error is AttemptTimeoutError {
  return hasErrorCode(error, AttemptTimeoutError, ATTEMPT_TIMEOUT_CODE);
}
