import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/createExecutor.js';
import { createRedisPacer } from '../../src/redis/createRedisPacer.js';
import { isRedisPacerTimeoutError } from '../../src/redis/RedisPacerTimeoutError.js';
import { freePort } from '../support/freePort.js';
import { startRedisServer } from '../support/servers/redisServer.js';
import { moved, redisClient, uniquePrefix, until, usePacerRedis } from './pacerFixtures.js';

const redis = usePacerRedis();

afterEach(async () => {
  // A test that paused Redis leaves it answering for the next one.
  if (redis.admin.isReady) await redis.admin.sendCommand(['CLIENT', 'UNPAUSE']);
});

/** Redis takes every command but answers none for `ms` (CLIENT PAUSE): a slow or stuck server, as clients see it. */
async function pauseRedis(ms: number): Promise<void> {
  await redis.admin.sendCommand(['CLIENT', 'PAUSE', String(ms), 'ALL']);
}

describe('a slot waits for a slow Redis', () => {
  it('says "wait" until the answer comes, then goes at the slot the shared bucket gave', async () => {
    const pacer = createRedisPacer(await redis.client(), { prefix: uniquePrefix(), name: 'api', timeoutMs: 2000, pacer: { initialRatePerSecond: 10 } });
    await pauseRedis(1000);
    const slot = pacer.queue();
    expect(slot).not.toBeNull();
    const answer = moved(slot!);
    expect(slot!.dueInMs()).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Still waiting for Redis, and not paced locally meanwhile.
    expect(slot!.dueInMs()).toBeGreaterThan(0);
    expect(pacer.getRedisStats()).toMatchObject({ sharedSlots: 0, localSlots: 0 });
    await answer;
    expect(slot!.dueInMs()).toBe(0);
    expect(pacer.getRedisStats()).toMatchObject({ mode: 'shared', sharedSlots: 1, localSlots: 0, timeouts: 0 });
    slot!.take();
    expect(pacer.getState().inFlight).toBe(1);
    pacer.observeSuccess(null);
    expect(pacer.getState().inFlight).toBe(0);
  });

  it('paces a slot locally when Redis does not answer within timeoutMs, and the call goes on', async () => {
    const errors: unknown[] = [];
    const pacer = createRedisPacer(await redis.client(), {
      prefix: uniquePrefix(),
      name: 'api',
      timeoutMs: 50,
      retryAfterMs: 60_000,
      onError: (error) => errors.push(error),
    });
    const executor = createExecutor({ pacer });
    await pauseRedis(2000);
    const started = Date.now();
    await expect(executor.execute(async () => 'stored')).resolves.toBe('stored');
    const tookMs = Date.now() - started;
    console.log(`the call went after ${tookMs} ms with Redis paused for 2000 ms (timeoutMs 50)`);
    expect(tookMs).toBeLessThan(1500);
    expect(pacer.getRedisStats()).toMatchObject({ mode: 'local', timeouts: 1, sharedSlots: 0, localSlots: 1 });
    expect(errors).toHaveLength(1);
    expect(isRedisPacerTimeoutError(errors[0])).toBe(true);
    // Within retryAfterMs the next calls do not try Redis at all: they go at once.
    await expect(executor.execute(async () => 'again')).resolves.toBe('again');
    expect(pacer.getRedisStats()).toMatchObject({ timeouts: 1, localSlots: 2 });
    executor.stop();
  });

  it('paces at its share of the fleet\'s last rate while Redis does not answer, not at the whole limit its pacer read', async () => {
    const prefix = uniquePrefix();
    const options = { prefix, name: 'api', timeoutMs: 50, retryAfterMs: 60_000 };
    const pacers = [createRedisPacer(await redis.client(), options), createRedisPacer(await redis.client(), options)];
    // Both read a limit of 50 per second (49 less headroom, a burst of 49): the fleet shares it.
    const limit = new Headers({ 'RateLimit-Limit': '50', 'RateLimit-Remaining': '50', 'RateLimit-Reset': '1', 'RateLimit-Policy': '50;w=1' });
    for (const pacer of pacers) pacer.observeSuccess(limit);
    for (let round = 0; round < 2; round++) {
      for (const pacer of pacers) {
        const slot = pacer.queue()!;
        await moved(slot);
        slot.cancel();
      }
    }
    expect(pacers[0]!.getRedisStats()).toMatchObject({ fleetRatePerSecond: 49, members: 2 });
    await pauseRedis(1500);
    const slots = [pacers[0]!.queue(), pacers[0]!.queue(), pacers[0]!.queue()];
    await Promise.all(slots.map((slot) => (slot === null ? undefined : moved(slot))));
    expect(pacers[0]!.getRedisStats()).toMatchObject({ mode: 'local', timeouts: 3 });
    // Alone, its own pacer would let all three go at once (a burst of 49); at its share, 24.5 per second, the third
    // waits about two intervals (82 ms).
    const third = slots[2]!.dueInMs();
    console.log(`paced alone: slots due in ${slots.map((slot) => slot?.dueInMs() ?? 0).join(', ')} ms`);
    expect(third).toBeGreaterThan(30); // (read a little after the fallback, on a loaded machine)
    expect(third).toBeLessThanOrEqual(82);
    for (const slot of slots) slot?.cancel();
  });

  it('gives back a slot whose call was aborted while it waited for Redis, and counts nothing in flight', async () => {
    const pacer = createRedisPacer(await redis.client(), { prefix: uniquePrefix(), name: 'api', timeoutMs: 2000 });
    const executor = createExecutor({ pacer });
    await pauseRedis(500);
    const controller = new AbortController();
    const call = executor.execute(async () => 'never', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user left')), 50);
    await expect(call).rejects.toThrow();
    expect(pacer.getState().inFlight).toBe(0);
    // The answer that comes after the pause finds the slot ended: nothing is counted for it.
    await until(() => pacer.getRedisStats().members === 1, 3000, 'the late answer');
    expect(pacer.getRedisStats()).toMatchObject({ sharedSlots: 0, localSlots: 0 });
    expect(pacer.getState().inFlight).toBe(0);
    executor.stop();
  });
});

describe('calls go on when Redis is down', () => {
  it('paces locally while the client is not connected (unreachable at start), without waiting for Redis', async () => {
    const { client: offline } = redisClient(`redis://127.0.0.1:${await freePort()}`);
    const connecting = offline.connect().catch((error: unknown) => error);
    const pacer = createRedisPacer(offline, { prefix: uniquePrefix(), name: 'api', pacer: { initialRatePerSecond: 1000 } });
    const executor = createExecutor({ pacer });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => executor.execute(async () => i)));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pacer.getRedisStats()).toMatchObject({ mode: 'local', sharedSlots: 0, localSlots: 10, timeouts: 0, errors: 0 });
    executor.stop();
    offline.destroy();
    await connecting;
  });

  it('keeps every call going when Redis dies mid-run', async () => {
    const other = await startRedisServer();
    const { client: dropping } = redisClient(other.url);
    await dropping.connect();
    try {
      const pacer = createRedisPacer(dropping, { prefix: uniquePrefix(), name: 'api', timeoutMs: 100, pacer: { initialRatePerSecond: 200 } });
      const executor = createExecutor({ pacer });
      const before = await Promise.all(Array.from({ length: 5 }, (_, i) => executor.execute(async () => i)));
      expect(before).toHaveLength(5);
      expect(pacer.getRedisStats().sharedSlots).toBe(5);
      await other.stop();
      // Calls made at once, and others while the client notices: every one succeeds.
      const after = await Promise.all(Array.from({ length: 20 }, (_, i) => executor.execute(async () => i)));
      expect(after).toHaveLength(20);
      await until(() => !dropping.isReady, 3000, 'the client to notice');
      const more = await Promise.all(Array.from({ length: 5 }, (_, i) => executor.execute(async () => i)));
      expect(more).toHaveLength(5);
      const stats = pacer.getRedisStats();
      console.log(`after Redis died: ${stats.sharedSlots} shared, ${stats.localSlots} local, ${stats.timeouts} timeouts, ${stats.errors} errors`);
      expect(stats.mode).toBe('local');
      expect(stats.sharedSlots + stats.localSlots).toBeGreaterThanOrEqual(30);
      expect(pacer.getState().inFlight).toBe(0);
      executor.stop();
    } finally {
      dropping.destroy();
      await other.stop();
    }
  });
});
