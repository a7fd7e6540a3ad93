import { describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, createExecutor, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing, fail500, failTimes } from '../support/executorHelpers.js';

describe('stats', () => {
  it('are exact after a mixed run', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 2, ...noPacing });
    await executor.execute(() => 'ok');
    const retried = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'ok')));
    await clock.advance(100);
    expect(retried.value).toBe('ok');
    await executor.execute(() => 1, { signal: AbortSignal.abort('already') }).catch(() => undefined);
    const controller = new AbortController();
    const aborted = executor.execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('later');
    await aborted.catch(() => undefined);
    await executor.execute(async () => Promise.reject(httpError(404))).catch(() => undefined);
    await failTimes(executor, 2);
    await executor.execute(() => 'refused').catch(() => undefined);
    expect(executor.getStats()).toEqual({ calls: 8, succeeded: 2, failed: 3, retries: 1, rejected: 1, rateLimitedAttempts: 1, aborted: 2 });
  });

  it('getStats() returns a copy', () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const stats = executor.getStats() as { calls: number };
    stats.calls = 99;
    expect(executor.getStats().calls).toBe(0);
  });
});

describe('counting calls that end unexpectedly', () => {
  it('a retry refused by a circuit that opened during the back-off counts as a rejection, not a failure', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const call = track(executor.execute(async () => Promise.reject(httpError(429))));
    await clock.advance(0);
    const hold = executor.isolate();
    await clock.advance(100);
    hold.dispose();
    expect(call.error).toBeInstanceOf(CircuitOpenError);
    expect(executor.getStats()).toEqual({ calls: 1, succeeded: 0, failed: 0, retries: 0, rejected: 1, rateLimitedAttempts: 1, aborted: 0 });
  });

  const throwing: Array<[string, (controller: AbortController) => never, unknown]> = [
    [
      'an Error',
      () => {
        throw new Error('predicate bug');
      },
      'predicate bug',
    ],
    [
      'undefined',
      () => {
        throw undefined;
      },
      undefined,
    ],
    [
      'an Error after aborting the call',
      (controller) => {
        controller.abort('why');
        throw new Error('predicate bug');
      },
      'predicate bug',
    ],
  ];

  it.each(throwing)('a shouldRetry that throws %s ends the call with that error, counted as a failed call', async (_name, predicate, message) => {
    const controller = new AbortController();
    const executor = createExecutor({ clock: createTestClock(), shouldRetry: () => predicate(controller), ...noPacing });
    const outcome = await executor.execute(fail500, { signal: controller.signal }).then(
      () => 'resolved',
      (error: unknown) => (error instanceof Error ? error.message : error),
    );
    expect(outcome).toBe(message);
    expect(executor.getStats()).toEqual({ calls: 1, succeeded: 0, failed: 1, retries: 0, rejected: 0, rateLimitedAttempts: 0, aborted: 0 });
  });

  it('an onRetry hook that aborts the call ends it at once, before the back-off, with the abort reason', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const controller = new AbortController();
    const op = vi.fn(async () => Promise.reject(httpError(429)));
    const call = track(executor.execute(op, { signal: controller.signal, onRetry: () => controller.abort('from hook') }));
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: 'from hook' });
    await clock.advance(1000);
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failed: 0, retries: 0 });
  });

  it('a timed-out attempt is a transient failure, not a rate limit', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, jitter: 'none', attemptTimeoutMs: 100, logger: (e) => entries.push(e), ...noPacing });
    const call = track(executor.execute(({ attempt }) => (attempt === 1 ? new Promise(() => {}) : 'ok'), { idempotent: true }));
    await clock.advance(100);
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(executor.getStats()).toMatchObject({ rateLimitedAttempts: 0, retries: 1, succeeded: 1 });
    expect(entries.map((e) => e.message)).toEqual(['[RateLimit] Transient error. Retrying in 100ms (attempt 1/3)']);
  });
});
