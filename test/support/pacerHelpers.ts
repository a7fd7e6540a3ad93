// Set-up shared by the pacer's feature tests (test/pacing/pacer*.test.ts): headers a server sends, and a pacer on a
// SimulatedClock that only moves when the test moves it.
//
// createPacer is imported from its module, not from src/index.js: importing the index builds the default
// rateLimitService (an executor with its own pacer and retry budget), so a mutant that makes createPacer() reject its
// defaults would stop the test files from loading and Stryker would count it as survived with no test run. From here
// the tests run and fail.
import { createPacer, type Pacer, type PacerOptions } from '../../src/pacing/createPacer.js';
import { createTestClock } from './clock.js';

export const T0 = 1_700_000_000_000;

/** IETF draft-06 headers: a quota of `limit` per `windowS` seconds, and `remaining` left when given. */
export function quota(limit: number, windowS: number, remaining?: number): Headers {
  const headers = new Headers({ 'RateLimit-Limit': String(limit), 'RateLimit-Policy': `${limit};w=${windowS}` });
  if (remaining !== undefined) headers.set('RateLimit-Remaining', String(remaining));
  return headers;
}

/** X-RateLimit headers with no window: `remaining` left until a reset `resetS` seconds from now. */
export function untilReset(remaining: number, resetS: number): Headers {
  return new Headers({ 'X-RateLimit-Remaining': String(remaining), 'X-RateLimit-Reset-After': String(resetS) });
}

/** A pacer on a SimulatedClock set to T0. */
export function setup(options: PacerOptions = {}): { clock: ReturnType<typeof createTestClock>; pacer: Pacer } {
  const clock = createTestClock(T0);
  return { clock, pacer: createPacer({ clock, ...options }) };
}

/**
 * A server that throttles without rate-limit headers: a first 429 at T0, then one accepted request at each of
 * `acceptedAt` (ms after T0), then a 429 at the last of them. Returns the pacer after that second 429.
 */
export function throttledThenAccepted(acceptedAt: readonly number[], options: PacerOptions = {}): Pacer {
  const { clock, pacer } = setup(options);
  pacer.observeRateLimited(null);
  let at = 0;
  for (const t of acceptedAt) {
    clock.increment(t - at);
    at = t;
    pacer.observeSuccess(undefined);
  }
  pacer.observeRateLimited(null);
  return pacer;
}
