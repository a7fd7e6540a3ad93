import type { CircuitState } from '../types.js';

/** The headers of a value that is a fetch `Response` (or looks like one), so the pacer can read its rate limits. */
export function responseHeaders(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const headers = (value as { headers?: unknown }).headers;
  return typeof headers === 'object' && headers !== null && typeof (headers as { get?: unknown }).get === 'function'
    ? headers
    : undefined;
}

export function sameCircuitState(a: CircuitState, b: CircuitState): boolean {
  return (
    a.state === b.state &&
    a.isOpen === b.isOpen &&
    a.consecutiveFailures === b.consecutiveFailures &&
    a.lastFailureTime === b.lastFailureTime &&
    a.openedAt === b.openedAt &&
    a.nextAttemptAt === b.nextAttemptAt &&
    a.trialsInFlight === b.trialsInFlight &&
    a.reopenCount === b.reopenCount
  );
}
