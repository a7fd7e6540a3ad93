import { describe, expect, it, vi } from 'vitest';
import { createExecutor, RetriesExhaustedError, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing, failTimes, closed } from '../support/executorHelpers.js';

describe('RetriesExhaustedError and its log line', () => {
  it('carries the attempts, the last Retry-After, the last error, and is not "too long" at exactly maxRetryAfterMs', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, maxRetries: 2, maxRetryAfterMs: 2000, logger: (e) => entries.push(e), ...noPacing });
    const errors = [httpError(429, { 'Retry-After': '2' }), httpError(429, { 'Retry-After': '2' }), httpError(429, { 'Retry-After': '2' })];
    const call = track(executor.execute(async ({ attempt }) => Promise.reject(errors[attempt - 1]), { context: 'c' }));
    await clock.advance(2000);
    await clock.advance(2000);
    const error = call.error as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect({ attempts: error.attempts, retryAfterMs: error.retryAfterMs, retryAfterTooLong: error.retryAfterTooLong }).toEqual({
      attempts: 3,
      retryAfterMs: 2000,
      retryAfterTooLong: false,
    });
    expect(error.cause).toBe(errors[2]);
    expect(entries.at(-1)).toEqual({
      level: 'error',
      event: 'retries-exhausted',
      message: '[RateLimit] Max retries (2) exceeded',
      context: 'c',
      data: { attempts: 3, retryAfterMs: 2000, status: 429 },
    });
    expect(entries[0]).toEqual({
      level: 'warn',
      event: 'retry',
      message: '[RateLimit] Rate limit detected. Retrying in 2000ms (attempt 1/2)',
      context: 'c',
      data: { delayMs: 2000, attempt: 1, maxRetries: 2, retryAfterMs: 2000, status: 429, paced: false },
    });
  });

  it('a wait over maxRetryAfterMs is "too long" and logged as such', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, maxRetryAfterMs: 2000, logger: (e) => entries.push(e), ...noPacing });
    const error = await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '3' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, retryAfterMs: 3000, retryAfterTooLong: true });
    expect(entries).toEqual([
      {
        level: 'error',
        event: 'retry-after-too-long',
        message: '[RateLimit] Server asked to wait 3000ms, more than maxRetryAfterMs (2000ms). Giving up.',
        context: undefined,
        data: { attempts: 1, retryAfterMs: 3000, status: 429 },
      },
    ]);
  });

  it('with respectRetryAfter off, a long Retry-After is never "too long"', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, maxRetries: 0, respectRetryAfter: false, maxRetryAfterMs: 2000, logger: (e) => entries.push(e), ...noPacing });
    const error = await executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '3600' }))).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1, retryAfterTooLong: false });
    expect(entries.map((e) => e.event)).toEqual(['retries-exhausted']);
  });

  it('a transient error without a status says so in its retry line', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, jitter: 'none', logger: (e) => entries.push(e), ...noPacing });
    const network = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const call = track(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(network) : 'ok'), { idempotent: true }));
    await clock.advance(100);
    expect(call.value).toBe('ok');
    expect(entries).toEqual([
      {
        level: 'warn',
        event: 'retry',
        message: '[RateLimit] Transient error. Retrying in 100ms (attempt 1/3)',
        context: undefined,
        data: { delayMs: 100, attempt: 1, maxRetries: 3, retryAfterMs: null, status: undefined, paced: false },
      },
    ]);
  });
});

describe('onRetry', () => {
  it('is told the failed attempt, the delay, the error and the server wait', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const infos: unknown[] = [];
    const first = httpError(429, { 'Retry-After': '1' });
    const second = httpError(429);
    const call = track(
      executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(first) : attempt === 2 ? Promise.reject(second) : 'ok'), {
        onRetry: (info) => infos.push(info),
      }),
    );
    await clock.advance(1000);
    await clock.advance(200);
    expect(call.value).toBe('ok');
    expect(infos).toEqual([
      { attempt: 1, delayMs: 1000, error: first, retryAfterMs: 1000 },
      { attempt: 2, delayMs: 200, error: second, retryAfterMs: null },
    ]);
    expect(executor.getStats()).toMatchObject({ retries: 2, rateLimitedAttempts: 2, succeeded: 1 });
  });

  it('a hook that throws ends the call with its error, counted as aborted, and no further attempt', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const bug = new Error('hook bug');
    const op = vi.fn(async () => Promise.reject(httpError(429)));
    const call = track(
      executor.execute(op, {
        onRetry: () => {
          throw bug;
        },
      }),
    );
    await clock.advance(1000);
    expect(call).toMatchObject({ settled: true, error: bug });
    expect(op).toHaveBeenCalledTimes(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failed: 0, retries: 0 });
  });
});

describe('classification overrides', () => {
  it('isFailure alone decides what counts against the circuit, and is told attempt, idempotent and the classification', async () => {
    const clock = createTestClock();
    const seen: unknown[] = [];
    const executor = createExecutor({
      clock,
      failureThreshold: 1,
      isFailure: (error, info) => {
        seen.push(info);
        return (error as { status?: number }).status === 404;
      },
      ...noPacing,
    });
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('closed');
    await executor.execute(async () => Promise.reject(httpError(404)), { idempotent: true }).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('open');
    expect(seen).toEqual([
      { attempt: 1, idempotent: false, classification: { rateLimited: false, retryable: false, countsAsFailure: true, retryAfterMs: null, status: 500 } },
      { attempt: 1, idempotent: true, classification: { rateLimited: false, retryable: false, countsAsFailure: false, retryAfterMs: null, status: 404 } },
    ]);
  });

  it('shouldRetry alone keeps the default decision of what counts as a failure', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, shouldRetry: () => false, ...noPacing });
    await executor.execute(async () => Promise.reject(httpError(404))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('closed');
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('open');
  });
});

describe('circuit transition log lines', () => {
  it('carry from, to, the failure count and the open duration', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, failureThreshold: 2, openDurationMs: 1000, logger: (e) => entries.push(e), ...noPacing });
    await failTimes(executor, 2, 'row');
    await clock.advance(1000);
    await executor.execute(() => 'ok');
    expect(entries).toEqual([
      {
        level: 'error',
        event: 'circuit-opened',
        message: 'Circuit breaker opened after 2 consecutive failures',
        context: 'row',
        data: { from: 'closed', to: 'open', consecutiveFailures: 2, openDurationMs: 1000 },
      },
      {
        level: 'info',
        event: 'circuit-half-open',
        message: 'Circuit breaker reset after timeout',
        data: { from: 'open', to: 'halfOpen', consecutiveFailures: 2, openDurationMs: 1000 },
      },
      {
        level: 'info',
        event: 'circuit-closed',
        message: 'Circuit breaker closed after a successful trial',
        data: { from: 'halfOpen', to: 'closed', consecutiveFailures: 0, openDurationMs: 1000 },
      },
    ]);
  });

  it('names a failure-rate opening even with a threshold set, and does not reuse the context of an earlier failure', async () => {
    const entries: LogEntry[] = [];
    const executor = createExecutor({
      clock: createTestClock(),
      failureThreshold: 5,
      failureRate: { kind: 'count', size: 4, threshold: 0.5, minimumCalls: 4 },
      logger: (e) => entries.push(e),
      ...noPacing,
    });
    await failTimes(executor, 2, 'failed row');
    await executor.execute(() => 'ok');
    expect(entries).toEqual([]);
    await executor.execute(() => 'ok', { context: 'ok row' });
    expect(entries).toEqual([
      {
        level: 'error',
        event: 'circuit-opened',
        message: 'Circuit breaker opened: failure rate over the threshold',
        context: undefined,
        data: { from: 'closed', to: 'open', consecutiveFailures: 0, openDurationMs: 60_000 },
      },
    ]);
  });
});
