import { isRateLimitError } from '../classify/isRateLimitError.js';
import { MESSAGES, unavailableMessage, type FailureReason } from './messages.js';

/**
 * The reason an error tells, when its constructor was not given one: a rate limit (429, "Too Many Requests", see
 * `isRateLimitError`) or no cause at all → `'rate-limited'`; any other failure (5xx, network, timeout) → `'unavailable'`.
 */
export function failureReasonOf(cause: unknown, hasCause: boolean): FailureReason {
  if (!hasCause || isRateLimitError(cause)) return 'rate-limited';
  return 'unavailable';
}

/** The user-facing line for a reason; `rateLimitedLine` is the line of the error class for rate limits. */
export function failureMessage(reason: FailureReason, rateLimitedLine: string, retryAfterMs: number | null): string {
  return reason === 'unavailable' ? unavailableMessage(retryAfterMs) : rateLimitedLine;
}

