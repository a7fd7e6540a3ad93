import { describe, expect, it } from 'vitest';
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
    expect(() => new RateLimitService({ circuitBreakerThreshold: -1 })).toThrow(/"failureThreshold"/);
  });

  it('ships a default instance with the default configuration', () => {
    expect(rateLimitService.executor.options.retry.maxRetries).toBe(3);
    expect(rateLimitService.getCircuitState()).toMatchObject({ state: 'closed', failures: 0 });
  });
});
