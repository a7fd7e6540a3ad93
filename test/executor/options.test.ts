import { describe, expect, it } from 'vitest';
import { createExecutor, type ExecutorOptions } from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';

const bad: Array<[string, unknown, typeof RangeError | typeof TypeError]> = [
  ['maxRetries', -1, RangeError],
  ['maxRetries', 1.5, RangeError],
  ['maxRetries', Number.NaN, RangeError],
  ['maxRetries', '3', TypeError],
  ['maxRetries', Number.POSITIVE_INFINITY, RangeError],
  ['initialDelayMs', -5, RangeError],
  ['initialDelayMs', Number.NaN, RangeError],
  ['maxDelayMs', Number.POSITIVE_INFINITY, RangeError],
  ['backoffMultiplier', 0.5, RangeError],
  ['jitter', 'gaussian', RangeError],
  ['jitter', 1, TypeError],
  ['jitterFactor', 1.5, RangeError],
  ['jitterFactor', -0.1, RangeError],
  ['respectRetryAfter', 'yes', TypeError],
  ['maxRetryAfterMs', -1, RangeError],
  ['failureThreshold', -1, RangeError],
  ['failureThreshold', 2.5, RangeError],
  ['openDurationMs', 0, RangeError],
  ['openDurationMs', Number.POSITIVE_INFINITY, RangeError],
  ['openBackoffMultiplier', 0, RangeError],
  ['halfOpenMaxCalls', 0, RangeError],
  ['attemptTimeoutMs', 0, RangeError],
  ['idempotent', 1, TypeError],
  ['shouldRetry', true, TypeError],
  ['isFailure', 'x', TypeError],
  ['clock', {}, TypeError],
  ['random', 0.5, TypeError],
  ['logger', { warn: () => undefined }, TypeError],
  ['inspect', 'yes', TypeError],
  ['failureRate', 'half', TypeError],
];

describe('option validation', () => {
  it.each(bad)('rejects %s = %s naming the option and the value', (name, value, kind) => {
    const attempt = (): unknown => createExecutor({ [name]: value } as ExecutorOptions);
    expect(attempt).toThrow(kind);
    expect(attempt).toThrow(`"${name}"`);
  });

  it('rejects contradictory combinations', () => {
    expect(() => createExecutor({ initialDelayMs: 500, maxDelayMs: 100 })).toThrow(/"maxDelayMs".*initialDelayMs/);
    expect(() => createExecutor({ openDurationMs: 5000, maxOpenDurationMs: 1000 })).toThrow(RangeError);
    expect(() => createExecutor({ failureThreshold: 0 })).toThrow(/"failureThreshold"/);
    expect(() => createExecutor({ failureRate: { kind: 'count', size: 5, threshold: 0.5, minimumCalls: 10 } })).toThrow(/minimumCalls/);
    expect(() => createExecutor({ failureRate: { kind: 'count', size: 5, threshold: 0 } as never })).toThrow(/threshold/);
    expect(() => createExecutor({ failureRate: { kind: 'sliding' } as never })).toThrow(/failureRate.kind/);
  });

  it('rejects unknown options, so a typo is not silently ignored', () => {
    expect(() => createExecutor({ maxRetry: 3 } as ExecutorOptions)).toThrow(/unknown option "maxRetry"/);
  });

  it('fills in the documented defaults', () => {
    const o = resolveOptions();
    expect(o.retry).toEqual({
      maxRetries: 3,
      initialDelayMs: 100,
      maxDelayMs: 10_000,
      multiplier: 2,
      jitter: 'proportional',
      jitterFactor: 0.2,
      respectRetryAfter: true,
      maxRetryAfterMs: 120_000,
      rateLimitRetries: 20,
    });
    expect(o.circuit).toMatchObject({
      failureThreshold: 5,
      openDurationMs: 60_000,
      halfOpenMaxCalls: 1,
      failureRate: null,
      trialTimeoutMs: null,
    });
    expect(o.attemptTimeoutMs).toBeNull();
    expect(o.idempotent).toBe(false);
  });

  it('rejects execute() without a function', async () => {
    await expect(createExecutor().execute(undefined as never)).rejects.toThrow(TypeError);
  });
});
