import { describe, expect, it } from 'vitest';
import { createExecutor, createPacer, type Pacer } from '../../src/index.js';
import { createTestClock } from '../support/clock.js';

/**
 * What the executor does after an attempt succeeded (statistics, the pacer, the circuit) can never turn the success
 * into a failure.
 */

/** A success value whose `headers` getter throws (a proxy, a half-built response). */
const hostileValue = (): { ok: true } => {
  const value = { ok: true as const };
  Object.defineProperty(value, 'headers', {
    get() {
      throw new Error('headers are not readable');
    },
  });
  return value;
};

describe('a success stays a success', () => {
  it.each([
    ['on the fast path', undefined],
    ['on the scoped path (with a signal)', new AbortController().signal],
  ])('a value whose headers getter throws resolves the call (%s), and the pacer is told the request ended', async (_label, signal) => {
    const clock = createTestClock();
    const pacer = createPacer({ clock });
    const executor = createExecutor({ clock, pacer, maxRetries: 3 });
    let runs = 0;
    const value = await executor.execute(() => {
      runs++;
      return hostileValue();
    }, signal === undefined ? undefined : { signal });
    expect(value.ok).toBe(true);
    expect(runs).toBe(1);
    expect(executor.getStats()).toMatchObject({ calls: 1, succeeded: 1, failed: 0, retries: 0 });
    expect(pacer.getState().inFlight).toBe(0);
    expect(executor.getCircuitState().consecutiveFailures).toBe(0);
  });

  it('a custom pacer whose observeSuccess throws does not fail the call, nor count a failure against the circuit', async () => {
    const clock = createTestClock();
    const real = createPacer({ clock });
    const broken: Pacer = { ...bind(real), observeSuccess: () => { throw new Error('pacer bug'); } };
    const executor = createExecutor({ clock, pacer: broken, failureThreshold: 1 });
    await expect(executor.execute(() => 'fine')).resolves.toBe('fine');
    await expect(executor.execute(() => 'fine', { signal: new AbortController().signal })).resolves.toBe('fine');
    expect(executor.getStats()).toMatchObject({ succeeded: 2, failed: 0 });
    expect(executor.getCircuitState().state).toBe('closed');
  });
});

/** The pacer's methods, bound, so they can be spread into a stand-in. */
function bind(pacer: Pacer): Pacer {
  return {
    reserve: () => pacer.reserve(),
    cancel: () => pacer.cancel(),
    observeSuccess: (headers) => pacer.observeSuccess(headers),
    observeFailure: () => pacer.observeFailure(),
    observeRateLimited: (headers, retryAfterMs) => pacer.observeRateLimited(headers, retryAfterMs),
    getState: () => pacer.getState(),
  };
}
