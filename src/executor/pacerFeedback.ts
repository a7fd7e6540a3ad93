import { findHeaders } from '../classify/headers.js';
import type { Pacer } from '../pacing/pacerTypes.js';
import type { FailureFacts } from './decideFailure.js';
import { responseHeaders } from './snapshotHelpers.js';

// What the pacer learns from each answer. None of these throws: a broken custom pacer must not change a call's outcome.

/** Tells the pacer a request ended with nothing to learn from. */
export function pacerHeardNothing(pacer: Pacer | undefined): void {
  try {
    pacer?.observeFailure();
  } catch {
    // A broken custom pacer must not change the call's outcome.
  }
}

/** Tells the pacer what a failed attempt's answer says: a rate limit, a 5xx, a 4xx with headers, or nothing. */
export function pacerHeardFailure(pacer: Pacer | undefined, error: unknown, facts: FailureFacts): void {
  if (pacer === undefined) return;
  let headers: unknown = null;
  try {
    headers = findHeaders(error);
  } catch {
    // Headers that cannot be read teach nothing.
  }
  try {
    if (facts.rateLimited) pacer.observeRateLimited(headers, facts.retryAfterMs);
    else if (headers === null) pacer.observeFailure();
    // Its rate-limit headers teach the pacer; a 5xx is not the server accepting the request, a 4xx is.
    else pacer.observeSuccess(headers, !(typeof facts.status === 'number' && facts.status >= 500));
  } catch {
    // A broken custom pacer must not change the call's outcome.
  }
}

/** Tells the pacer a request succeeded, with the headers of the value if it is a `Response`. */
export function pacerHeardSuccess(pacer: Pacer | undefined, value: unknown): void {
  if (pacer === undefined) return;
  let headers: unknown;
  try {
    headers = responseHeaders(value);
  } catch {
    // A value whose `headers` getter throws has nothing to learn from.
  }
  try {
    pacer.observeSuccess(headers);
  } catch {
    // A broken custom pacer must not fail a call that succeeded.
  }
}
