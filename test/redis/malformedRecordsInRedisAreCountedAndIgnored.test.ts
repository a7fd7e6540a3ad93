import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { createTestClock } from '../support/clock.js';
import { fleetOf, freshName, makeClient } from './support/fleetHelpers.js';

/** Records read from Redis are checked like the ones in localStorage: what is not a valid record changes nothing. */

let redis: RedisServer;
let admin: ReturnType<typeof makeClient>;
beforeAll(async () => {
  redis = await startRedisServer();
  admin = makeClient(redis.url);
  await admin.connect();
});
afterAll(async () => {
  admin.destroy();
  await redis.stop();
});
let fleet: ReturnType<typeof fleetOf>;
afterEach(async () => {
  await fleet.stopAll();
});

describe('records from Redis', () => {
  it('a malformed stored record is counted, and the circuit starts closed', async () => {
    const name = freshName();
    await admin.set(`test:xstate-circuit-breaker:circuit:${name}`, '{"v":1,"seq":3,"tab":"x","state":"open","openedAt":-5}');
    fleet = fleetOf(redis.url, name);
    const a = await fleet.join({ executor: { clock: createTestClock() } });
    await vi.waitFor(() => expect(a.executor.getSyncStats()?.malformed).toBe(1), { timeout: 3_000 });
    expect(a.fleet.getStats().malformed).toBe(1);
    expect(a.executor.getCircuitState().state).toBe('closed');
  });

  it('malformed and other-version messages on the channel are counted and ignored; a valid one after them is adopted', async () => {
    const name = freshName();
    fleet = fleetOf(redis.url, name);
    const clock = createTestClock();
    const a = await fleet.join({ executor: { clock } });
    await vi.waitFor(() => expect(a.fleet.state).toBe('up'), { timeout: 3_000 });
    const channel = `test:xstate-circuit-breaker:${name}`;
    await admin.publish(channel, 'not json');
    await admin.publish(channel, JSON.stringify({ v: 1, seq: 'one', tab: 't', state: 'open', openedAt: 1, openDurationMs: 1, reopenCount: 0 }));
    await admin.publish(channel, JSON.stringify({ v: 2, seq: 1, tab: 't', state: 'open' }));
    await admin.publish(channel, JSON.stringify({ v: 1, seq: 1, tab: 'other', state: 'open', openedAt: clock.now(), openDurationMs: 5_000, reopenCount: 0 }));
    await vi.waitFor(() => expect(a.executor.getCircuitState().state).toBe('open'), { timeout: 3_000 });
    expect(a.executor.getSyncStats()).toMatchObject({ malformed: 2, unsupported: 1, adopted: 1 });
    expect(a.fleet.getStats()).toMatchObject({ malformed: 2, unsupported: 1 });
  });
});
