import { describe, expect, it } from 'vitest';
import { AttemptTimeoutError, CircuitOpenError, RetriesExhaustedError } from '../../src/errors/index.js';

describe('originalError', () => {
  it('is the cause each error was given', () => {
    const cause = Object.assign(new Error('Too Many Requests'), { status: 429 });
    expect(new RetriesExhaustedError({ attempts: 4, retryAfterMs: null, cause }).originalError).toBe(cause);
    expect(new CircuitOpenError({ retryAfterMs: 1, state: 'open', cause }).originalError).toBe(cause);
    expect(new AttemptTimeoutError(100, { cause }).originalError).toBe(cause);
  });

  it('is undefined when there is no cause', () => {
    expect(new CircuitOpenError({ retryAfterMs: 1, state: 'open' }).originalError).toBeUndefined();
    expect(new AttemptTimeoutError(100).originalError).toBeUndefined();
    expect(new RetriesExhaustedError({ attempts: 1, retryAfterMs: null }).originalError).toBeUndefined();
  });
});
