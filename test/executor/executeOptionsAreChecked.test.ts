import { describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { createTestClock } from '../support/clock.js';
import { noPacing } from '../support/executorHelpers.js';

describe('execute() option checks', () => {
  const op = (): number => 1;
  const cases: Array<[string, unknown, string]> = [
    ['a string', 'fast', 'xstate-circuit-breaker: execute() options must be an object, got "fast".'],
    ['null', null, 'xstate-circuit-breaker: execute() options must be an object, got null.'],
    ['a null signal', { signal: null }, 'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got null.'],
    ['a string signal', { signal: 'stop' }, 'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got "stop".'],
    [
      'a signal without a boolean aborted',
      { signal: { aborted: 'no', addEventListener: () => undefined } },
      'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got an object.',
    ],
    [
      'a signal without addEventListener',
      { signal: { aborted: false, addEventListener: 'no' } },
      'xstate-circuit-breaker: execute() option "signal" must be an AbortSignal, got an object.',
    ],
    ['a string idempotent', { idempotent: 'yes' }, 'xstate-circuit-breaker: execute() option "idempotent" must be a boolean, got "yes".'],
    ['a number onRetry', { onRetry: 1 }, 'xstate-circuit-breaker: execute() option "onRetry" must be a function, got 1.'],
  ];

  it.each(cases)('rejects %s with a TypeError naming it, and counts a failure', async (_name, options, message) => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const called = vi.fn(op);
    const result = executor.execute(called, options as never);
    await expect(result).rejects.toThrow(new TypeError(message));
    await expect(result).rejects.toBeInstanceOf(TypeError);
    expect(called).not.toHaveBeenCalled();
    expect(executor.getStats()).toEqual({ calls: 1, succeeded: 0, failed: 1, retries: 0, rejected: 0, rateLimitedAttempts: 0, aborted: 0 });
  });

  it('accepts every option when well formed', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const signal = new AbortController().signal;
    await expect(executor.execute(op, { signal, idempotent: true, onRetry: () => undefined, context: 1 })).resolves.toBe(1);
    await expect(executor.execute(op, {})).resolves.toBe(1);
  });

  it('rejects a non-function operation naming the value', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    await expect(executor.execute(42 as never)).rejects.toThrow(new TypeError('xstate-circuit-breaker: execute() needs a function, got 42.'));
    expect(executor.getStats()).toMatchObject({ calls: 1, failed: 1 });
  });
});
