import { describe, expect, it, vi } from 'vitest';
import { RateLimitService, rateLimitService, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

describe('RateLimitService (drop-in)', () => {
  it('takes the legacy config names and behaves like the executor', async () => {
    const clock = createTestClock();
    const logs: LogEntry[] = [];
    const service = new RateLimitService(
      { maxRetries: 1, initialDelayMs: 50, jitterFactor: 0, circuitBreakerThreshold: 2, circuitBreakerTimeoutMs: 5000 },
      { clock, logger: (e) => logs.push(e) },
    );
    const call = track(service.executeWithRetry(async () => Promise.reject(httpError(429)), 'import.row'));
    await clock.advance(50);
    expect(call.error).toMatchObject({ code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED', attempts: 2 });
    expect(logs[0]).toMatchObject({ context: 'import.row', message: '[RateLimit] Rate limit detected. Retrying in 50ms (attempt 1/1)' });
    await service.executeWithRetry(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expect(service.getCircuitState()).toMatchObject({ isOpen: true, failures: 2, consecutiveFailures: 2, nextAttemptAt: clock.now() + 5000 });
    service.resetCircuit();
    expect(service.getCircuitState()).toMatchObject({ isOpen: false, failures: 0 });
    await expect(service.executeWithRetry(() => 'ok')).resolves.toBe('ok');
  });

  it('rejects unknown config names', () => {
    expect(() => new RateLimitService({ retries: 3 } as never)).toThrow(/unknown RateLimitService option "retries"/);
  });

  it('names the caller options, not the executor ones, in an invalid option error', () => {
    const threshold = () => new RateLimitService({ circuitBreakerThreshold: -1 }, { logger: () => {} });
    expect(threshold).toThrow(/"circuitBreakerThreshold"/);
    expect(threshold).not.toThrow(/failureThreshold/);
    const timeout = () => new RateLimitService({ circuitBreakerTimeoutMs: -5 }, { logger: () => {} });
    expect(timeout).toThrow(/"circuitBreakerTimeoutMs"/);
    expect(timeout).not.toThrow(/openDurationMs/);
    expect(timeout).toThrow(RangeError);
  });

  it('ships a default instance with the default configuration', () => {
    expect(rateLimitService.executor.options.retry.maxRetries).toBe(3);
    expect(rateLimitService.getCircuitState()).toMatchObject({ state: 'closed', failures: 0 });
  });
});

describe('RateLimitService takes the seed callers\' arguments', () => {
  it('names a call from an object context as resourceName.operation, or whichever is given', async () => {
    const clock = createTestClock();
    const logs: LogEntry[] = [];
    const service = new RateLimitService({ maxRetries: 1, initialDelayMs: 10, jitterFactor: 0 }, { clock, logger: (e) => logs.push(e) });
    const fail = () => Promise.reject(httpError(429));
    const calls = [
      track(service.executeWithRetry(fail, { resourceName: 'contacts', operation: 'import', rowIndex: 3 })),
      track(service.executeWithRetry(fail, { operation: 'sync' })),
      track(service.executeWithRetry(fail, 'plain')),
    ];
    await clock.advance(10);
    expect(calls.every((c) => c.settled)).toBe(true);
    expect(logs.filter((e) => e.event === 'retry').map((e) => e.context)).toEqual(['contacts.import', 'sync', 'plain']);
  });

  it('reports lastFailureTime as a number and the time since the last failure on the executor clock', async () => {
    const clock = createTestClock();
    const service = new RateLimitService({ maxRetries: 0 }, { clock, logger: () => {} });
    expect(service.getCircuitState()).toMatchObject({ lastFailureTime: 0, timeSinceLastFailure: 0, failures: 0 });
    await service.executeWithRetry(() => Promise.reject(httpError(500))).catch(() => undefined);
    const failedAt = clock.now();
    await clock.advance(1234);
    expect(service.getCircuitState()).toMatchObject({ lastFailureTime: failedAt, timeSinceLastFailure: 1234, failures: 1 });
  });

  it('prints the seed\'s [RateLimit] lines on the console when no logger is given', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const clock = createTestClock();
      const service = new RateLimitService({ maxRetries: 1, initialDelayMs: 20, jitterFactor: 0, circuitBreakerThreshold: 1 }, { clock });
      const call = track(service.executeWithRetry(() => Promise.reject(httpError(429)), { resourceName: 'contacts', operation: 'import' }));
      await clock.advance(20);
      expect(call.settled).toBe(true);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/^\[RateLimit\] .*Retrying in 20ms \(attempt 1\/1\)/);
      expect(warn.mock.calls[0]![1]).toMatchObject({ context: 'contacts.import', attempt: 1, delayMs: 20 });
      const lines = error.mock.calls.map((args) => String(args[0]));
      expect(lines.some((l) => l.startsWith('[RateLimit] Circuit breaker opened'))).toBe(true);
      expect(lines.some((l) => l.startsWith('[RateLimit] Max retries'))).toBe(true);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });

  it('leaves the console alone when the caller passes its own logger', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const clock = createTestClock();
      const logs: LogEntry[] = [];
      const service = new RateLimitService({ maxRetries: 1, initialDelayMs: 5, jitterFactor: 0 }, { clock, logger: (e) => logs.push(e) });
      const call = track(service.executeWithRetry(() => Promise.reject(httpError(429))));
      await clock.advance(5);
      expect(call.settled).toBe(true);
      expect(warn).not.toHaveBeenCalled();
      expect(logs.some((e) => e.event === 'retry')).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it('rejects something that is not a function with a TypeError that does not count against the circuit', async () => {
    const service = new RateLimitService({ circuitBreakerThreshold: 1 }, { clock: createTestClock(), logger: () => {} });
    await expect(service.executeWithRetry(undefined as never)).rejects.toThrow(TypeError);
    await expect(service.executeWithRetry('not a function' as never, 'x')).rejects.toThrow(TypeError);
    expect(service.getCircuitState()).toMatchObject({ isOpen: false, failures: 0, lastFailureTime: 0 });
  });
});
