import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError } from '../../src/index.js';
import { useRedisServer } from '../support/servers/redisServer.js';
import { createTestClock, httpError } from '../support/clock.js';
import { fleetOf, freshName, OPEN_MS, type Member } from './support/fleetHelpers.js';

/**
 * The half-open trial is a lease in Redis, renewed while the trial runs. A holder that goes silent (its connection cut,
 * as when its process is killed) stops renewing, and another process takes the trial once the lease runs out. The
 * multi-process test does the same with a real `kill -9`.
 */

const redis = useRedisServer();
let fleet: ReturnType<typeof fleetOf>;
afterEach(async () => {
  await fleet.stopAll();
});

const LEASE_MS = 600;
const outcome = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ran',
    (error: unknown) => (error instanceof CircuitOpenError ? 'refused' : `failed: ${String(error)}`),
  );

async function halfOpenEverywhere(members: Member[], clock: ReturnType<typeof createTestClock>): Promise<void> {
  await vi.waitFor(() => expect(members.map((m) => m.fleet.state)).toEqual(members.map(() => 'up')), { timeout: 3_000 });
  for (let i = 0; i < 2; i++) await members[0]!.executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
  await vi.waitFor(() => expect(members.map((m) => m.executor.getCircuitState().state)).toEqual(members.map(() => 'open')), { timeout: 3_000 });
  await clock.advance(OPEN_MS);
}

describe('the trial lease', () => {
  it('is renewed while a long trial runs: no second trial starts in the fleet meanwhile', async () => {
    const clock = createTestClock();
    fleet = fleetOf(redis.url, freshName());
    const [a, b] = [await fleet.join({ executor: { clock }, trialLeaseMs: LEASE_MS }), await fleet.join({ executor: { clock }, trialLeaseMs: LEASE_MS })];
    await halfOpenEverywhere([a!, b!], clock);
    let finish!: () => void;
    const trial = a!.executor.execute(() => new Promise<string>((resolve) => (finish = () => resolve('slow trial'))));
    await vi.waitFor(() => expect(a!.executor.getSyncStats()?.trialsLed).toBe(1), { timeout: 3_000 });
    // Three lease periods later, the lease is still a's: b is turned away each time it asks.
    const askedUntil = Date.now() + 3 * LEASE_MS;
    while (Date.now() < askedUntil) {
      expect(await outcome(b!.executor.execute(() => 'b trial'))).toBe('refused');
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 4));
    }
    finish();
    await expect(trial).resolves.toBe('slow trial');
    await vi.waitFor(() => expect(b!.executor.getCircuitState().state).toBe('closed'), { timeout: 3_000 });
  });

  it('a holder cut off mid-trial: another executor takes the trial once the lease has run out', async () => {
    const clock = createTestClock();
    fleet = fleetOf(redis.url, freshName());
    const [a, b] = [await fleet.join({ executor: { clock }, trialLeaseMs: LEASE_MS }), await fleet.join({ executor: { clock }, trialLeaseMs: LEASE_MS })];
    await halfOpenEverywhere([a!, b!], clock);
    void outcome(a!.executor.execute(() => new Promise(() => undefined))); // a trial that never ends
    await vi.waitFor(() => expect(a!.executor.getSyncStats()?.trialsLed).toBe(1), { timeout: 3_000 });
    a!.client.destroy(); // a goes silent: no renewal, no release
    const cutAt = Date.now();
    expect(await outcome(b!.executor.execute(() => 'b trial'))).toBe('refused');
    let result = 'refused';
    const deadline = Date.now() + LEASE_MS + 5_000;
    while (result === 'refused' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      result = await outcome(b!.executor.execute(() => 'b trial'));
    }
    expect(result).toBe('ran');
    console.log(`trial taken over ${Date.now() - cutAt} ms after the holder went silent (lease ${LEASE_MS} ms)`);
    expect(b!.executor.getCircuitState().state).toBe('closed');
  });
});
