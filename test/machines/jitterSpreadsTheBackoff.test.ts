/**
 * The jitter formulas of computeBackoff at draws between the extremes, where a changed operator shows.
 */

import { describe, expect, it } from 'vitest';
import { computeBackoff, defaultRetryPolicy, type RetryPolicy } from '../../machines/retry.machine.js';

describe('computeBackoff spreads each retry by its jitter formula', () => {
  const policy = (jitter: RetryPolicy['jitter']): RetryPolicy => ({
    ...defaultRetryPolicy,
    jitter,
    initialDelayMs: 100,
    multiplier: 2,
    maxDelayMs: 10_000,
  });

  // Mutants: the 'equal' case removed (falls through to decorrelated) or its label -> '', and every operator of
  // `exponential / 2 + (exponential / 2) * r`.
  it('equal jitter is half the exponential step plus a random share of the other half', () => {
    // Retry 3: the exponential step is 400 ms, so equal jitter spans 200–400 ms.
    expect([0, 0.25, 0.5, 0.999].map((r) => computeBackoff(policy('equal'), 3, r, 0))).toEqual([200, 250, 300, 400]);
  });

  // Mutant: `(upper - initialDelayMs) * r` -> `/ r`, which a draw close to 1 cannot tell apart.
  it('decorrelated jitter scales the span from initialDelayMs up to 3 × the previous delay by the draw', () => {
    // previous 100 ms: the span is 100–300 ms.
    expect([0, 0.25, 0.5].map((r) => computeBackoff(policy('decorrelated'), 2, r, 100))).toEqual([100, 150, 200]);
  });
});
