import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { createTestClock, httpError } from '../support/clock.js';
import { fleetOf, freshName, type Member } from './support/fleetHelpers.js';

/**
 * Redis is a convenience, not a dependency: unreachable at start, killed mid-run, restarted empty. Calls go on under
 * each executor's own circuit, each executor logs one `fleet-link-down` and one `fleet-link-up`, and the fleet gets back
 * in step when Redis returns.
 */

let redis: RedisServer | undefined;
let fleet: ReturnType<typeof fleetOf> | undefined;
afterEach(async () => {
  await fleet?.stopAll();
  await redis?.stop();
  fleet = undefined;
  redis = undefined;
});

const arrives = (check: () => void | Promise<void>, timeout = 5_000): Promise<void> => vi.waitFor(check, { timeout, interval: 10 });

async function fail(member: Member, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await member.executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
}

describe('the fleet link when Redis is down', () => {
  it('Redis unreachable at start: calls run, one entry says the link is down, one that it is back', async () => {
    redis = await startRedisServer();
    await redis.stop();
    fleet = fleetOf(redis.url, freshName());
    const clock = createTestClock();
    const a = await fleet.join({ waitForRedis: false, executor: { clock } });
    expect(a.fleet.state).toBe('down');
    expect(a.linkEvents()).toEqual(['fleet-link-down']);
    expect(a.logs[0]).toMatchObject({ level: 'warn', event: 'fleet-link-down', data: { prefix: 'test:' } });

    await expect(a.executor.execute(() => 'done without Redis')).resolves.toBe('done without Redis');
    await fail(a, 2);
    expect(a.executor.getCircuitState().state).toBe('open');
    expect(a.fleet.getStats()).toMatchObject({ state: 'down', pendingWrites: 1 });

    await redis.restart();
    await arrives(() => expect(a.fleet.state).toBe('up'));
    expect(a.linkEvents()).toEqual(['fleet-link-down', 'fleet-link-up']);
    // What was decided alone while down is written when the link rejoins: a process joining now adopts it.
    await arrives(() => expect(a.fleet.getStats().pendingWrites).toBe(0));
    const late = await fleet.join({ executor: { clock } });
    await arrives(() => expect(late.executor.getCircuitState()).toMatchObject({ state: 'open', openedAt: clock.now() }));
    expect(late.linkEvents()).toEqual([]);
  });

  it('Redis killed mid-run and restarted empty: calls go on, one down and one back entry each, and the fleet rejoins', async () => {
    redis = await startRedisServer();
    fleet = fleetOf(redis.url, freshName());
    const clock = createTestClock();
    const members = [await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } })];
    const [a, b, c] = members as [Member, Member, Member];
    await arrives(() => expect(members.map((m) => m.fleet.state)).toEqual(['up', 'up', 'up']));

    await redis.stop();
    // Calls made while Redis is gone are neither failed nor held by it.
    const during = await Promise.all(members.map((m, i) => m.executor.execute(() => `call ${i}`)));
    expect(during).toEqual(['call 0', 'call 1', 'call 2']);
    await arrives(() => expect(members.map((m) => m.fleet.state)).toEqual(['down', 'down', 'down']));
    await fail(a, 2); // a decides alone: open here, and nowhere else yet
    expect([a, b, c].map((m) => m.executor.getCircuitState().state)).toEqual(['open', 'closed', 'closed']);
    await expect(b.executor.execute(() => 'b still works')).resolves.toBe('b still works');

    await redis.restart();
    await arrives(() => expect(members.map((m) => m.fleet.state)).toEqual(['up', 'up', 'up']));
    for (const m of members) expect(m.linkEvents()).toEqual(['fleet-link-down', 'fleet-link-up']);
    // a's opening, kept while Redis was gone, is written back and announced: the others adopt it.
    await arrives(() => expect([b, c].map((m) => m.executor.getCircuitState().state)).toEqual(['open', 'open']));

    // Re-subscribed: a close after the rejoin reaches everyone.
    a.executor.resetCircuit();
    await arrives(() => expect([b, c].map((m) => m.executor.getCircuitState().state)).toEqual(['closed', 'closed']));
    expect(members.every((m) => m.fleet.getStats().downs === 1 && m.fleet.getStats().joins === 2)).toBe(true);
  });
});
