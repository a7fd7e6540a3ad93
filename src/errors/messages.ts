/** Why a call failed, as the user-facing line tells it. */
export type FailureReason = 'rate-limited' | 'unavailable';

/**
 * The user-facing lines the apps we replace already show; safe to display as they are.
 *
 * - `circuitOpen`: the circuit is open because of rate limits (`CircuitOpenError`, reason `'rate-limited'`);
 * - `retriesExhausted`: every retry after rate limits failed (`RetriesExhaustedError`, reason `'rate-limited'`);
 * - `unavailable`: the server is not answering (5xx, network, timeouts), when the next try is unknown;
 * - `rateLimited`: the former name of `retriesExhausted`, kept for existing callers.
 */
export const MESSAGES = {
  circuitOpen: 'Too many requests. Wait 1-2 minutes before trying again.',
  retriesExhausted: 'System overloaded. Try again in a few moments.',
  /** @deprecated Use `retriesExhausted`: the line shown when retries ran out. */
  rateLimited: 'System overloaded. Try again in a few moments.',
  unavailable: 'The server is not answering. Try again in a few moments.',
} as const;

/** "The server is not answering. Next try in 42 s." (whole seconds, rounded up), or {@link MESSAGES.unavailable}. */
export function unavailableMessage(retryAfterMs: number | null | undefined): string {
  if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs < 0) return MESSAGES.unavailable;
  return `The server is not answering. Next try in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`;
}
