import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/createExecutor.js';
import { createRedisPacer } from '../../src/redis/createRedisPacer.js';
import { TOKEN_BUCKET_SCRIPT, tokenBucketSha } from '../../src/redis/tokenBucketScript.js';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { connectedClient, moved, uniquePrefix, until, type TestRedisClient } from './pacerFixtures.js';

let server: RedisServer;
const clients: TestRedisClient[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

describe('a Redis pacer rejoins the shared bucket', () => {
  it('after Redis restarts empty (no key, no script cached), once retryAfterMs has passed', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [await connectedClient(server.url), await connectedClient(server.url)];
    clients.push(a, b);
    const options = { prefix, name: 'api', timeoutMs: 100, retryAfterMs: 200, pacer: { initialRatePerSecond: 100 } };
    const pacers = [createRedisPacer(a, options), createRedisPacer(b, options)];
    const executors = pacers.map((pacer) => createExecutor({ pacer }));
    const run = (count: number): Promise<number[][]> =>
      Promise.all(executors.map((executor) => Promise.all(Array.from({ length: count }, (_, i) => executor.execute(async () => i)))));

    await run(3);
    expect(pacers.map((p) => p.getRedisStats())).toMatchObject([
      { mode: 'shared', sharedSlots: 3 },
      { mode: 'shared', sharedSlots: 3 },
    ]);

    await server.stop();
    await until(() => !a.isReady && !b.isReady, 3000, 'the clients to notice Redis is gone');
    // Down: the calls go on, paced locally.
    expect((await run(4)).flat()).toHaveLength(8);
    for (const pacer of pacers) expect(pacer.getRedisStats()).toMatchObject({ mode: 'local', sharedSlots: 3 });

    await server.restart();
    await until(() => a.isReady && b.isReady, 5000, 'the clients to reconnect');
    await new Promise((resolve) => setTimeout(resolve, options.retryAfterMs + 50));
    expect((await run(3)).flat()).toHaveLength(6);
    const stats = pacers.map((p) => p.getRedisStats());
    console.log(stats.map((s) => `${s.sharedSlots} shared, ${s.localSlots} local, ${s.timeouts} timeouts, ${s.errors} errors`).join('; '));
    for (const s of stats) {
      expect(s.mode).toBe('shared');
      // The new server had no script: EVALSHA's NOSCRIPT is answered by EVAL, not counted as a failure.
      expect(s.sharedSlots).toBeGreaterThan(3);
      expect(s.errors).toBe(0);
    }
    // Both processes are members of the bucket on the new server.
    expect(Number(await a.hLen(`${prefix}pacer:api`))).toBe(3); // two members and the next slot's time
    const slot = pacers[0]!.queue();
    expect(slot).not.toBeNull();
    await moved(slot!);
    slot!.cancel();
    expect(pacers[0]!.getRedisStats()).toMatchObject({ members: 2, fleetRatePerSecond: 200 });
    // The new server has the script cached again, under the SHA-1 the pacer sends with EVALSHA.
    const sha = await tokenBucketSha();
    expect(sha).toBe(createHash('sha1').update(TOKEN_BUCKET_SCRIPT).digest('hex'));
    expect(await a.sendCommand(['SCRIPT', 'EXISTS', sha])).toEqual([1]);
    for (const executor of executors) executor.stop();
  });
});
