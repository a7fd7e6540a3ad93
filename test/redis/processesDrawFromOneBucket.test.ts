import { describe, expect, it } from 'vitest';
import type { PacerSlot } from '../../src/pacing/pacerTypes.js';
import { createRedisPacer, type RedisPacer } from '../../src/redis/createRedisPacer.js';
import { moved, redisTime, uniquePrefix, usePacerRedis } from './pacerFixtures.js';

const redis = usePacerRedis();

/** `count` pacers of one name, each with its own client (as separate processes have). */
async function fleet(
  count: number,
  options: { ratePerSecond?: number | null; forgetAfterMs?: number; rates?: readonly (number | null)[] } = {},
): Promise<{ pacers: RedisPacer[]; key: string }> {
  const prefix = uniquePrefix();
  const pacers: RedisPacer[] = [];
  for (let i = 0; i < count; i++) {
    const client = await redis.client();
    pacers.push(
      createRedisPacer(client, {
        prefix,
        name: 'api',
        ...(options.forgetAfterMs === undefined ? {} : { forgetAfterMs: options.forgetAfterMs }),
        pacer: { initialRatePerSecond: options.rates?.[i] !== undefined ? options.rates[i] : (options.ratePerSecond ?? 20) },
      }),
    );
  }
  return { pacers, key: `${prefix}pacer:api` };
}

/** Takes one slot of each pacer, so that the bucket has heard from every process. */
async function joinAll(pacers: readonly RedisPacer[]): Promise<void> {
  for (const pacer of pacers) {
    const slot = pacer.queue();
    if (slot !== null) {
      await moved(slot);
      slot.cancel();
    }
  }
}

async function answered(slot: PacerSlot | null): Promise<PacerSlot> {
  expect(slot).not.toBeNull();
  await moved(slot!);
  return slot!;
}

describe('processes draw from one bucket in Redis', () => {
  it('spaces the slots of all processes one fleet interval apart, on Redis clock, at the sum of their learnt rates', async () => {
    const { pacers, key } = await fleet(3, { ratePerSecond: 20 });
    await joinAll(pacers);
    // Let the warm-up slots pass, so the bucket is idle when the count starts.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = await redisTime(redis.admin);
    const slots = await Promise.all(Array.from({ length: 30 }, (_, i) => answered(pacers[i % 3]!.queue())));
    const after = await redisTime(redis.admin);
    const nextSlot = Number(await redis.admin.hGet(key, 'tat'));
    const interval = 1000 / 60;
    // 30 slots, one 1/60 s apart: the bucket's next free time is 30 intervals after the first slot, which Redis gave
    // between the two readings of its clock.
    const firstSlot = nextSlot - 30 * interval;
    console.log(`first slot ${(firstSlot - before).toFixed(2)} ms after the count began (it ended ${(after - before).toFixed(2)} ms after)`);
    expect(firstSlot).toBeGreaterThanOrEqual(before - 0.01);
    expect(firstSlot).toBeLessThanOrEqual(after + 0.01);
    for (const pacer of pacers) {
      expect(pacer.getRedisStats()).toMatchObject({ mode: 'shared', fleetRatePerSecond: 60, members: 3, learntRatePerSecond: 20, timeouts: 0, errors: 0 });
    }
    for (const slot of slots) slot.cancel();
  });

  it('lets through about the fleet rate over a window of Redis time, whichever processes ask', async () => {
    const { pacers } = await fleet(3, { ratePerSecond: 15 });
    await joinAll(pacers);
    await new Promise((resolve) => setTimeout(resolve, 100));
    let taken = 0;
    let counting = true;
    // Each process has 4 callers that take a slot, wait for it, and come back at once.
    const caller = async (pacer: RedisPacer): Promise<void> => {
      while (counting) {
        const slot = pacer.queue();
        if (slot !== null) {
          for (let wait = slot.dueInMs(); wait > 0; wait = slot.dueInMs()) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, wait);
              slot.onMove = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          slot.take();
        }
        if (counting) taken++;
        pacer.observeSuccess(null);
      }
    };
    const start = await redisTime(redis.admin);
    const callers = pacers.flatMap((pacer) => Array.from({ length: 4 }, () => caller(pacer)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    counting = false;
    const end = await redisTime(redis.admin);
    await Promise.all(callers);
    const expected = (45 * (end - start)) / 1000;
    console.log(`${taken} slots in ${(end - start).toFixed(0)} ms of Redis time at 45/s: ${expected.toFixed(1)} expected`);
    // One slot per interval: never more than the window holds (and what was granted just before it began); close to it.
    expect(taken).toBeLessThanOrEqual(Math.ceil(expected) + 3);
    expect(taken).toBeGreaterThanOrEqual(Math.floor(expected * 0.5));
  });

  it('never goes above the lowest limit a server stated to any process', async () => {
    const { pacers } = await fleet(3, { ratePerSecond: 20 });
    await joinAll(pacers);
    // The server tells one process it allows 10 requests per second.
    const told = pacers[1]!;
    told.observeSuccess(new Headers({ 'RateLimit-Limit': '10', 'RateLimit-Remaining': '9', 'RateLimit-Reset': '1', 'RateLimit-Policy': '10;w=1' }));
    const first = await answered(told.queue());
    first.cancel();
    const other = await answered(pacers[0]!.queue());
    other.cancel();
    // 10 per second less the default 2% headroom, not the sum of the parts (20 + 9.8 + 20).
    expect(pacers[0]!.getRedisStats().fleetRatePerSecond).toBeCloseTo(9.8, 6);
    expect(told.getRedisStats().learntRatePerSecond).toBeCloseTo(9.8, 6);
  });

  it('counts a process that learnt no rate yet at the mean part of those that did', async () => {
    // The second process met no limit (the bucket kept it from one): it knows no rate.
    const { pacers } = await fleet(3, { rates: [30, null, 18] });
    await joinAll(pacers);
    const slot = await answered(pacers[1]!.queue());
    slot.cancel();
    expect(pacers[1]!.getRedisStats()).toMatchObject({ members: 3, fleetRatePerSecond: 72 }); // 30 + 24 + 18
  });

  it('without a stated limit, slows the whole fleet at once when one process cuts its part', async () => {
    const { pacers } = await fleet(3, { ratePerSecond: 20 });
    await joinAll(pacers);
    expect(pacers[2]!.getRedisStats().fleetRatePerSecond).toBe(60);
    // Two bare 429s, each its own congestion (nothing in flight): the first process's pacer cuts its part twice.
    pacers[0]!.observeRateLimited(null);
    pacers[0]!.observeRateLimited(null);
    const learnt = pacers[0]!.getRedisStats().learntRatePerSecond;
    expect(learnt).toBeLessThan(15);
    // It tells the bucket at its next draw; the next slot of any process is at the lower rate.
    await joinAll(pacers);
    expect(pacers[2]!.getRedisStats().fleetRatePerSecond).toBeCloseTo(learnt + 20 + 20, 6);
  });

  it('with a stated limit, paces the fleet at it whatever the processes learnt, less a tenth per congestion of 429s', async () => {
    const { pacers } = await fleet(3, { ratePerSecond: null });
    const limit = new Headers({ 'RateLimit-Limit': '30', 'RateLimit-Remaining': '29', 'RateLimit-Reset': '1', 'RateLimit-Policy': '30;w=1' });
    for (const pacer of pacers) pacer.observeSuccess(limit);
    await joinAll(pacers);
    expect(pacers[2]!.getRedisStats().fleetRatePerSecond).toBeCloseTo(29.4, 6);
    // A low bucket makes each pacer cut the part it would send at alone: the others it sees drawing are the fleet
    // itself, already paced by the bucket, so the statement stays the fleet's rate.
    const low = new Headers({ 'RateLimit-Limit': '30', 'RateLimit-Remaining': '3', 'RateLimit-Reset': '1', 'RateLimit-Policy': '30;w=1' });
    for (let i = 0; i < 3; i++) for (const pacer of pacers) pacer.observeSuccess(low);
    await joinAll(pacers);
    expect(pacers[2]!.getRedisStats().fleetRatePerSecond).toBeCloseTo(29.4, 1);
    // A 429 that one process met is the fleet's congestion: 0.9 of the limit, once for the 429s that come together.
    pacers[0]!.observeRateLimited(null);
    pacers[1]!.observeRateLimited(null);
    await joinAll(pacers);
    const cut = pacers[2]!.getRedisStats().fleetRatePerSecond!;
    console.log(`fleet rate after a congestion of 429s: ${cut.toFixed(3)} req/s (limit 29.4)`);
    expect(cut).toBeGreaterThan(29.4 * 0.9 - 0.01);
    expect(cut).toBeLessThan(29.4 * 0.9 + 0.3); // it grows back by 1.47 req/s per second
    // A lower statement to any process lowers it for all.
    pacers[1]!.observeSuccess(new Headers({ 'RateLimit-Limit': '20', 'RateLimit-Remaining': '19', 'RateLimit-Reset': '1', 'RateLimit-Policy': '20;w=1' }));
    await joinAll(pacers);
    expect(pacers[2]!.getRedisStats().fleetRatePerSecond! / cut).toBeCloseTo(19.6 / 29.4, 1);
  });

  it('forgets the part of a process that stopped drawing', async () => {
    const { pacers } = await fleet(2, { ratePerSecond: 20, forgetAfterMs: 200 });
    await joinAll(pacers);
    const both = await answered(pacers[0]!.queue());
    both.cancel();
    expect(pacers[0]!.getRedisStats()).toMatchObject({ fleetRatePerSecond: 40, members: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alone = await answered(pacers[0]!.queue());
    alone.cancel();
    expect(pacers[0]!.getRedisStats()).toMatchObject({ fleetRatePerSecond: 20, members: 1 });
  });

  it('holds the whole fleet when the server tells one process its quota is used up', async () => {
    const { pacers } = await fleet(2, { ratePerSecond: 50 });
    await joinAll(pacers);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A 429 saying nothing is left until the reset: the told process holds (its learner caps a hold at the window).
    const told = pacers[0]!;
    const sent = await answered(told.queue());
    sent.take();
    told.observeRateLimited(new Headers({ 'RateLimit-Limit': '50', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '1', 'RateLimit-Policy': '50;w=1' }), 1000);
    const blockedUntil = told.getState().blockedUntil;
    expect(blockedUntil).not.toBeNull();
    const hold = blockedUntil! - Date.now();
    expect(hold).toBeGreaterThan(500);
    // Its next draw tells the bucket; the other process, which heard nothing from the server, then waits too.
    (await answered(told.queue())).cancel();
    const other = await answered(pacers[1]!.queue());
    console.log(`hold ${hold.toFixed(0)} ms; the other process's slot is due in ${other.dueInMs()} ms`);
    expect(other.dueInMs()).toBeGreaterThan(hold - 200);
    other.cancel();
  });
});
