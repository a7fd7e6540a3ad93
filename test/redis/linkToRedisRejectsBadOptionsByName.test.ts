import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { linkToRedis, type RedisFleet } from '../../src/redis/index.js';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { makeClient } from './support/fleetHelpers.js';

/** Bad options throw at the call, naming the option and the value; a typo is never silently ignored. */

let redis: RedisServer;
let client: ReturnType<typeof makeClient>;
const fleets: RedisFleet[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
  client = makeClient(redis.url);
  await client.connect();
});
afterAll(async () => {
  for (const fleet of fleets) await fleet.close();
  client.destroy();
  await redis.stop();
});

const link = (options?: unknown): RedisFleet => {
  const fleet = linkToRedis(client, options as never);
  fleets.push(fleet);
  return fleet;
};

describe('linkToRedis options', () => {
  it('needs a node-redis client on which connect() was called', () => {
    expect(() => linkToRedis({} as never)).toThrow(new TypeError("xstate-circuit-breaker: linkToRedis needs a node-redis client (createClient() from 'redis'), got an object."));
    expect(() => linkToRedis(createClient({ url: redis.url }))).toThrow(/not open: call client.connect\(\) first/);
  });

  it.each([
    [{ prefix: 3 }, TypeError, 'option "redis.prefix" must be a string, got 3'],
    [{ prefix: 'x'.repeat(201) }, RangeError, 'option "redis.prefix" must be a string of at most 200 characters'],
    [{ commandTimeoutMs: '250' }, TypeError, 'option "redis.commandTimeoutMs" must be a number, got "250"'],
    [{ commandTimeoutMs: 0 }, RangeError, 'option "redis.commandTimeoutMs" must be a number of milliseconds from 1 to 60000, got 0'],
    [{ rejoinIntervalMs: Number.NaN }, RangeError, 'option "redis.rejoinIntervalMs" must be a number of milliseconds from 10 to 600000, got NaN'],
    [{ clock: {} }, TypeError, 'option "redis.clock" must be a clock'],
    [{ prefx: 'a:' }, TypeError, 'unknown option "redis.prefx". Known options: prefix, commandTimeoutMs, rejoinIntervalMs, clock.'],
    ['a:', TypeError, "options of linkToRedis must be an object such as { prefix: 'myapp:' }, got \"a:\""],
  ])('%j throws %s', (options, kind, message) => {
    let thrown: unknown;
    try {
      link(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(kind);
    expect((thrown as Error).message).toContain(message);
  });

  it('fleet.persist() checks its options the way persistCircuit does', () => {
    const fleet = link({ prefix: 'opts:' });
    expect(() => fleet.persist({ name: '' })).toThrow(RangeError);
    expect(() => fleet.persist({ name: 'api', trialLeaseMs: 5 })).toThrow(/persist\.trialLeaseMs/);
    expect(() => fleet.persist({ name: 'api', shareAcrossTabs: true } as never)).toThrow(/unknown option "persist.shareAcrossTabs"/);
    expect(fleet.persist({ name: 'api' }).settings).toMatchObject({ name: 'api', shareAcrossTabs: true, trialLeaseMs: 5_000 });
    // ra-core's per-resource circuits are named() from one persistence: same fleet, same lease, another name.
    expect(fleet.persist({ name: 'api', trialLeaseMs: 900 }).named('api/contacts').settings).toMatchObject({ name: 'api/contacts', trialLeaseMs: 900 });
    expect(() => fleet.subscribe('nope' as never)).toThrow(new TypeError('xstate-circuit-breaker: fleet.subscribe() needs a function, got "nope".'));
  });
});
