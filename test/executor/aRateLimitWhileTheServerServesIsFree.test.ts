import { describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

/**
 * A 429 from a server that accepted this client's requests a moment ago is a rate limit, not an outage: its retry is
 * free (it spends neither `maxRetries` nor the budget, up to `rateLimitRetries`) and it does not count against the
 * circuit. The default pacer says whether the server is serving: it was answered within the last second, at a rate it
 * knows. Runs on a simulated clock.
 */

const tooMany = (): Error => httpError(429, { 'Retry-After': '0' });

async function settle<T>(clock: ReturnType<typeof createTestClock>, promise: Promise<T>): Promise<ReturnType<typeof track<T>>> {
  const state = track(promise);
  for (let i = 0; i < 100 && !state.settled; i++) await clock.advance(10);
  return state;
}

/** A call whose every attempt is answered 429, run until it settles; `attempts` counts the tries. */
async function callAlwaysRateLimited(
  clock: ReturnType<typeof createTestClock>,
  executor: Executor,
): Promise<{ call: ReturnType<typeof track<unknown>>; attempts: number }> {
  let attempts = 0;
  const call = await settle(
    clock,
    executor.execute(async () => {
      attempts++;
      throw tooMany();
    }),
  );
  return { call, attempts };
}

/** No retries of the executor's own to spend, no budget, and a circuit that opens on the first counted failure. */
const strict = (clock: ReturnType<typeof createTestClock>) => ({ clock, maxRetries: 0, failureThreshold: 1, retryBudget: false }) as const;

/** A response of a server that states its limit (10 per second) and has quota left. */
const served = (): Response =>
  new Response('ok', { headers: { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '5', 'RateLimit-Reset': '1', 'RateLimit-Policy': '10;w=1' } });

/**
 * An executor on the default pacer that has just been served once by a server stating its limit (so the pacer has
 * slots to space a free retry), with no retries of its own to spend.
 */
async function servedExecutor(clock: ReturnType<typeof createTestClock>, rateLimitRetries?: number): Promise<Executor> {
  const executor = createExecutor({ ...strict(clock), ...(rateLimitRetries === undefined ? {} : { rateLimitRetries }) });
  const response = await executor.execute(async () => served());
  expect(response.status).toBe(200);
  return executor;
}

describe('a 429 while the server goes on serving', () => {
  it('is retried for free: with maxRetries 0 the call still succeeds on its retry', async () => {
    const clock = createTestClock();
    const executor = await servedExecutor(clock);
    let attempts = 0;
    const call = await settle(clock, executor.execute(async () => (++attempts === 1 ? Promise.reject(tooMany()) : 'second time')));
    expect(call).toMatchObject({ settled: true, value: 'second time' });
    expect(attempts).toBe(2);
    expect(executor.getStats()).toMatchObject({ succeeded: 2, failed: 0, retries: 1, rateLimitedAttempts: 1 });
    executor.stop();
  });

  it('does not count against the circuit, even when its call gives up after the free retries', async () => {
    const clock = createTestClock();
    const executor = await servedExecutor(clock, 1);
    const { call, attempts } = await callAlwaysRateLimited(clock, executor);
    // One free retry, then none left: the call gives up, but a threshold of 1 does not open the circuit.
    expect(attempts).toBe(2);
    expect(call.error).toMatchObject({ code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED' });
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    executor.stop();
  });
});

describe('a 429 that is not waited out for free', () => {
  it('counts when the server never served this client: it may be refusing everyone', async () => {
    const clock = createTestClock();
    const executor = createExecutor(strict(clock));
    const { call, attempts } = await callAlwaysRateLimited(clock, executor);
    expect(attempts).toBe(1);
    expect(call.error).toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN' });
    expect(executor.getCircuitState().state).toBe('open');
    executor.stop();
  });

  it('counts, and spends maxRetries, when rateLimitRetries is 0 (the plain retry loop), even while the server serves', async () => {
    const clock = createTestClock();
    const executor = await servedExecutor(clock, 0);
    const { call, attempts } = await callAlwaysRateLimited(clock, executor);
    expect(attempts).toBe(1);
    expect(call.error).toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN' });
    expect(executor.getCircuitState().state).toBe('open');
    executor.stop();
  });

  it('counts when the executor runs unpaced: without a pacer nothing says the server is serving', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ ...strict(clock), pacer: false });
    await executor.execute(async () => served());
    const call = await settle(clock, executor.execute(() => Promise.reject(tooMany())));
    expect(call.error).toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN' });
    executor.stop();
  });
});
