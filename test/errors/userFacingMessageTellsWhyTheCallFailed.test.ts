import { describe, expect, it } from 'vitest';
import { AttemptTimeoutError, CircuitOpenError, MESSAGES, RetriesExhaustedError } from '../../src/errors/index.js';

const status = (code: number) => Object.assign(new Error(`HTTP ${code}`), { status: code });

describe('the user-facing line of each error', () => {
  it('says "System overloaded" once retries after 429s have run out', () => {
    const error = new RetriesExhaustedError({ attempts: 4, retryAfterMs: 1000, cause: status(429) });
    expect(error.message).toBe('System overloaded. Try again in a few moments.');
    expect(error.reason).toBe('rate-limited');
  });

  it('says "Too many requests" while the circuit is open after rate limits, or with no cause known', () => {
    expect(new CircuitOpenError({ retryAfterMs: 60_000, state: 'open' }).message).toBe(
      'Too many requests. Wait 1-2 minutes before trying again.',
    );
    const after429 = new CircuitOpenError({ retryAfterMs: 60_000, state: 'open', cause: status(429) });
    expect(after429).toMatchObject({ reason: 'rate-limited', message: MESSAGES.circuitOpen });
  });

  it('says the server is not answering, and when the next try is, for an outage', () => {
    const open = new CircuitOpenError({ retryAfterMs: 41_100, state: 'open', cause: status(503) });
    expect(open).toMatchObject({ reason: 'unavailable', message: 'The server is not answering. Next try in 42 s.' });
    const exhausted = new RetriesExhaustedError({ attempts: 4, retryAfterMs: null, cause: new TypeError('fetch failed') });
    expect(exhausted).toMatchObject({ reason: 'unavailable', message: 'The server is not answering. Try again in a few moments.' });
    const timedOut = new RetriesExhaustedError({ attempts: 2, retryAfterMs: null, cause: new AttemptTimeoutError(5000) });
    expect(timedOut.reason).toBe('unavailable');
  });

  it('takes a reason given to the constructor over the one its cause tells', () => {
    const error = new RetriesExhaustedError({ attempts: 4, retryAfterMs: 3000, cause: status(429), reason: 'unavailable' });
    expect(error.message).toBe('The server is not answering. Next try in 3 s.');
    const open = new CircuitOpenError({ retryAfterMs: null, state: 'isolated', cause: status(500), reason: 'rate-limited' });
    expect(open.message).toBe(MESSAGES.circuitOpen);
  });

  it('keeps the old constructor shapes working', () => {
    const exhausted = new RetriesExhaustedError({ attempts: 4, retryAfterMs: null, cause: status(429), retryAfterTooLong: true });
    expect(exhausted).toMatchObject({ attempts: 4, retryAfterMs: null, retryAfterTooLong: true, code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED' });
    expect(new CircuitOpenError({ retryAfterMs: 10, state: 'halfOpen' })).toMatchObject({ state: 'halfOpen', code: 'RATE_LIMIT_CIRCUIT_OPEN' });
  });
});
