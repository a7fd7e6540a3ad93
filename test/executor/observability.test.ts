import { describe, expect, it } from 'vitest';
import { createExecutor, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

describe('logger and counters', () => {
  it('logs the familiar lines with the caller context', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, jitter: 'none', logger: (e) => entries.push(e) });
    const call = track(executor.execute(async () => Promise.reject(httpError(429)), { context: 'contacts.create' }));
    for (let i = 0; i < 4; i++) await clock.advance(1000);
    expect(call.settled).toBe(true);
    const lines = entries.map((e) => e.message);
    expect(lines.slice(0, 3)).toEqual([
      '[RateLimit] Rate limit detected. Retrying in 100ms (attempt 1/3)',
      '[RateLimit] Rate limit detected. Retrying in 200ms (attempt 2/3)',
      '[RateLimit] Rate limit detected. Retrying in 400ms (attempt 3/3)',
    ]);
    expect(entries[0]).toMatchObject({ level: 'warn', event: 'retry', context: 'contacts.create', data: { delayMs: 100 } });
    expect(entries[3]).toMatchObject({ event: 'retries-exhausted', context: 'contacts.create' });
  });

  it('logs the circuit opening with the context of the call that opened it, and its reset after the timeout', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, logger: (e) => entries.push(e) });
    for (let i = 0; i < 5; i++) await executor.execute(async () => Promise.reject(httpError(500)), { context: `row ${i}` }).catch(() => undefined);
    expect(entries.at(-1)).toMatchObject({ event: 'circuit-opened', message: 'Circuit breaker opened after 5 consecutive failures', context: 'row 4' });
    await clock.advance(60_000);
    expect(entries.at(-1)).toMatchObject({ event: 'circuit-half-open', message: 'Circuit breaker reset after timeout' });
    await executor.execute(() => 'ok');
    expect(entries.at(-1)).toMatchObject({ event: 'circuit-closed' });
  });

  it('is silent by default and survives a throwing logger', async () => {
    const executor = createExecutor({
      clock: createTestClock(),
      maxRetries: 0,
      logger: () => {
        throw new Error('broken logger');
      },
    });
    const original = httpError(429);
    await expect(executor.execute(async () => Promise.reject(original))).rejects.toMatchObject({ cause: original });
  });

  it('counts calls, successes, failures, retries, rejections and 429s', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 2 });
    await executor.execute(() => 1);
    const retried = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 2)));
    await clock.advance(100);
    expect(retried.value).toBe(2);
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await executor.execute(() => 3).catch(() => undefined);
    expect(executor.getStats()).toEqual({ calls: 5, succeeded: 2, failed: 2, retries: 1, rejected: 1, rateLimitedAttempts: 1, aborted: 0 });
  });
});

describe('every log line', () => {
  it('says what happened, in words a person reads, with level, event and data', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({
      clock,
      jitter: 'none',
      maxRetries: 1,
      failureThreshold: 2,
      openDurationMs: 1000,
      maxRetryAfterMs: 5000,
      pacer: false,
      retryBudget: false,
      logger: (e) => entries.push(e),
    });
    const lines = (): string[] => entries.map((e) => `${e.level} ${e.event}: ${e.message}`);

    // A transient 503 on an idempotent call, retried once, then exhausted.
    const transient = track(executor.execute(async () => Promise.reject(httpError(503)), { idempotent: true, context: 'a' }));
    await clock.advance(100);
    expect(transient.settled).toBe(true);
    // A server wait over maxRetryAfterMs gives up at once; it is the second failure and opens the circuit.
    await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '60' })), { context: 'b' }).catch(() => undefined);
    await executor.execute(() => 'refused', { context: 'c' }).catch(() => undefined);
    await clock.advance(60_000);
    await executor.execute(async () => Promise.reject(httpError(500)), { context: 'd' }).catch(() => undefined);
    await clock.advance(60_000);
    await executor.execute(() => 'trial ok');
    const hold = executor.isolate();
    hold.dispose();
    executor.resetCircuit();

    expect(lines()).toEqual([
      'warn retry: [RateLimit] Transient error (503). Retrying in 100ms (attempt 1/1)',
      'error retries-exhausted: [RateLimit] Max retries (1) exceeded',
      'error circuit-opened: Circuit breaker opened after 2 consecutive failures',
      'error retry-after-too-long: [RateLimit] Server asked to wait 60000ms, more than maxRetryAfterMs (5000ms). Giving up.',
      'info call-rejected: [RateLimit] Circuit open: call rejected without being tried',
      'info circuit-half-open: Circuit breaker reset after timeout',
      `error circuit-opened: Circuit breaker re-opened after a failed trial (open for 1000ms)`,
      'info circuit-half-open: Circuit breaker reset after timeout',
      'info circuit-closed: Circuit breaker closed after a successful trial',
      'warn circuit-isolated: Circuit breaker isolated by hand',
      'info circuit-reset: Circuit breaker reset',
    ]);
    expect(entries[0]).toMatchObject({ context: 'a', data: { delayMs: 100, attempt: 1, maxRetries: 1, status: 503, retryAfterMs: null } });
    expect(entries[1]).toMatchObject({ context: 'a', data: { attempts: 2, status: 503 } });
    expect(entries[2]).toMatchObject({ context: 'b', data: { from: 'closed', to: 'open', consecutiveFailures: 2 } });
    expect(entries[4]).toMatchObject({ context: 'c', data: { state: 'open' } });
  });

  it('names a failure-rate opening as such', async () => {
    const entries: LogEntry[] = [];
    const executor = createExecutor({
      clock: createTestClock(),
      failureThreshold: 0,
      failureRate: { kind: 'count', size: 2, threshold: 0.5, minimumCalls: 2 },
      logger: (e) => entries.push(e),
    });
    await executor.execute(() => 'ok');
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(entries.map((e) => e.message)).toEqual(['Circuit breaker opened: failure rate over the threshold']);
  });
});
