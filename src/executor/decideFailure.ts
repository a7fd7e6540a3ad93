import { classifyError, type ErrorClassification } from '../classify/classifyError.js';
import { isAttemptTimeoutError } from '../errors/AttemptTimeoutError.js';
import type { ResolvedOptions } from '../options.js';
import type { Pacer } from '../pacing/pacerTypes.js';

/** The facts about a failed attempt that the retry machine and the circuit decide on. */
export interface FailureFacts extends ErrorClassification {
  readonly error: unknown;
  /** A rate limit while the server accepts other requests: its retry is free and waits for the pacer. */
  readonly paced: boolean;
}

const ANYTHING_ELSE: ErrorClassification = { rateLimited: false, retryable: false, countsAsFailure: true, retryAfterMs: null, status: undefined };

/**
 * The facts about a failed attempt the machines decide on. The built-in classification never throws, even for an
 * error whose getters do (that error is then "anything else"); a throwing `shouldRetry`/`isFailure` throws here, and
 * so rejects the call.
 */
export function decideFailure(
  error: unknown,
  attempt: number,
  idempotent: boolean,
  options: Pick<ResolvedOptions, 'clock' | 'shouldRetry' | 'isFailure' | 'retry' | 'pacer'>,
): FailureFacts {
  let classification: ErrorClassification;
  try {
    classification = isAttemptTimeoutError(error)
      ? { rateLimited: false, retryable: idempotent, countsAsFailure: true, retryAfterMs: null, status: undefined }
      : classifyError(error, { idempotent, nowMs: options.clock.now() });
  } catch {
    classification = ANYTHING_ELSE;
  }
  // A server that rate limits while it goes on accepting other requests is busy, not down: the 429 is waited out
  // for free (paced) and does not count against the circuit.
  const serving = classification.rateLimited && serverServing(options.pacer, options.retry.rateLimitRetries);
  if (serving) classification = { ...classification, countsAsFailure: false };
  const { shouldRetry, isFailure } = options;
  if (shouldRetry === undefined && isFailure === undefined) return { ...classification, error, paced: serving };
  const info = { attempt, idempotent, classification };
  const retryable = shouldRetry === undefined ? classification.retryable : Boolean(shouldRetry(error, info));
  return {
    ...classification,
    error,
    retryable,
    countsAsFailure: isFailure === undefined ? classification.countsAsFailure : Boolean(isFailure(error, info)),
    paced: serving && retryable,
  };
}

/** Whether the pacer saw the server accept a request recently (so a 429 now is a rate limit, not an outage). */
function serverServing(pacer: Pacer | undefined, rateLimitRetries: number): boolean {
  // rateLimitRetries 0 asks for the plain retry loop: every 429 spends a retry and counts.
  if (rateLimitRetries === 0) return false;
  if (pacer === undefined || typeof pacer.isServing !== 'function') return false;
  try {
    return pacer.isServing() === true;
  } catch {
    return false;
  }
}
