import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/index.js';
import { linkToRedis, type RedisFleet } from '../../src/redis/index.js';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { makeClient } from './support/fleetHelpers.js';
import { uniquePrefix } from './pacerFixtures.js';

/**
 * One call links a process: `linkToRedis(client)` gives both what `persist` needs (one circuit) and a pacer (one token
 * bucket), under the link's prefix and on its clock.
 */

let redis: RedisServer;
const clients: ReturnType<typeof makeClient>[] = [];
const fleets: RedisFleet[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const fleet of fleets) await fleet.close();
  for (const client of clients) client.destroy();
  await redis.stop();
});

async function linked(prefix: string): Promise<{ client: ReturnType<typeof makeClient>; fleet: RedisFleet }> {
  const client = makeClient(redis.url);
  clients.push(client);
  await client.connect();
  const fleet = linkToRedis(client, { prefix });
  fleets.push(fleet);
  return { client, fleet };
}

/** A success whose headers state a limit of 50 per second: what the pacers learn the fleet's rate from. */
const answer = () => ({
  ok: true,
  headers: new Headers({ 'RateLimit-Limit': '50', 'RateLimit-Remaining': '40', 'RateLimit-Reset': '1', 'RateLimit-Policy': '50;w=1' }),
});

describe('one link, one circuit and one rate', () => {
  it("fleet.pacer() draws from one bucket under the link's prefix, shared by every process that names the limit", async () => {
    const prefix = uniquePrefix();
    const processes = [await linked(prefix), await linked(prefix)];
    const members = processes.map(({ fleet }) => {
      const pacer = fleet.pacer({ name: 'supabase' });
      return { pacer, executor: createExecutor({ persist: fleet.persist({ name: 'supabase' }), pacer }) };
    });
    for (let round = 0; round < 10; round++) await Promise.all(members.map(({ executor }) => executor.execute(answer)));

    const key = `${prefix}pacer:supabase`;
    for (const { pacer } of members) {
      const stats = pacer.getRedisStats();
      expect(stats.key).toBe(key);
      expect(stats.sharedSlots).toBeGreaterThan(0);
      expect(stats.members).toBe(2);
    }
    expect(await processes[0]!.client.exists(key)).toBe(1);
    for (const { pacer, executor } of members) {
      executor.stop();
      pacer.stop();
    }
  });

  it("takes its prefix and clock from the link, and names a bad option as createRedisPacer does", async () => {
    const { fleet } = await linked(uniquePrefix());
    expect(() => fleet.pacer({ name: 'api', prefix: 'other:' } as never)).toThrow(/fleet.pacer\(\) takes no "prefix"/);
    expect(() => fleet.pacer({ name: 'api', clock: {} } as never)).toThrow(/fleet.pacer\(\) takes no "clock"/);
    expect(() => fleet.pacer(undefined as never)).toThrow(TypeError);
    expect(() => fleet.pacer({ name: 'api', timeotMs: 5 } as never)).toThrow(/unknown createRedisPacer\(\) option "timeotMs"/);
  });
});
