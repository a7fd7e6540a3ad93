import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_IF_NOT_OLDER, RELEASE_LEASE, RENEW_LEASE } from '../../src/redis/luaScripts.js';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { makeClient } from './support/fleetHelpers.js';

/**
 * The scripts the link runs, on the real Redis: a process that missed a message cannot overwrite the fleet's newer
 * record, and a lease is renewed or released only by the process whose token it holds.
 */

let redis: RedisServer;
let client: ReturnType<typeof makeClient>;
beforeAll(async () => {
  redis = await startRedisServer();
  client = makeClient(redis.url);
  await client.connect();
});
afterAll(async () => {
  client.destroy();
  await redis.stop();
});

const open = (seq: number): string => JSON.stringify({ v: 1, seq, tab: 't', state: 'open', openedAt: 1, openDurationMs: 1_000, reopenCount: 0 });
const closed = (seq: number): string => JSON.stringify({ v: 1, seq, tab: 't', state: 'closed', closedAt: 2 });
const store = (key: string, text: string): Promise<unknown> => client.eval(STORE_IF_NOT_OLDER, { keys: [key], arguments: [text] });

describe('store-if-not-older', () => {
  it('stores a newer record and refuses an older one', async () => {
    expect(await store('r1', open(3))).toBe(1);
    expect(await store('r1', closed(2))).toBe(0);
    expect(await client.get('r1')).toBe(open(3));
    expect(await store('r1', closed(4))).toBe(1);
    expect(await client.get('r1')).toBe(closed(4));
  });

  it('on a tie, an opening beats a close and not the other way round', async () => {
    expect(await store('r2', open(5))).toBe(1);
    expect(await store('r2', closed(5))).toBe(0);
    expect(await client.get('r2')).toBe(open(5));
    await client.set('r3', closed(5));
    expect(await store('r3', open(5))).toBe(1);
  });

  it('replaces what is not a record, and refuses to store what is not one', async () => {
    await client.set('r4', 'garbage');
    expect(await store('r4', open(1))).toBe(1);
    expect(await store('r4', 'not json')).toBe(0);
    expect(await client.get('r4')).toBe(open(1));
  });
});

describe('the lease scripts', () => {
  it('renew and release only with the holder’s token', async () => {
    await client.set('lease', 'mine', { condition: 'NX', expiration: { type: 'PX', value: 1_000 } });
    expect(await client.eval(RENEW_LEASE, { keys: ['lease'], arguments: ['theirs', '60000'] })).toBe(0);
    expect(await client.pTTL('lease')).toBeLessThanOrEqual(1_000);
    expect(await client.eval(RENEW_LEASE, { keys: ['lease'], arguments: ['mine', '60000'] })).toBe(1);
    expect(await client.pTTL('lease')).toBeGreaterThan(1_000);
    expect(await client.eval(RELEASE_LEASE, { keys: ['lease'], arguments: ['theirs'] })).toBe(0);
    expect(await client.get('lease')).toBe('mine');
    expect(await client.eval(RELEASE_LEASE, { keys: ['lease'], arguments: ['mine'] })).toBe(1);
    expect(await client.get('lease')).toBeNull();
  });
});
