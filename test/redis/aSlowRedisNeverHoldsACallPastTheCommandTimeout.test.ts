import { afterEach, describe, expect, it, vi } from 'vitest';
import { useRedisServer } from '../support/servers/redisServer.js';
import { createTestClock, httpError } from '../support/clock.js';
import { createExecutor, type Executor, type LogEntry } from '../../src/index.js';
import { linkToRedis, type RedisFleet } from '../../src/redis/index.js';
import { fleetOf, freshName, makeClient, OPEN_MS } from './support/fleetHelpers.js';

/**
 * A Redis that stops answering (CLIENT PAUSE holds every client's commands) must not hold a call: the half-open trial
 * waits at most `commandTimeoutMs` for the lease, then the process runs the trial on its own say.
 */

const redis = useRedisServer();
let fleet: ReturnType<typeof fleetOf>;
afterEach(async () => {
  await fleet.stopAll();
});

const PAUSE_MS = 3_000;

describe('a slow Redis', () => {
  it('one that takes the connection but does not answer at start: down once (no error is raised), then back', async () => {
    fleet = fleetOf(redis.url, freshName());
    const admin = makeClient(redis.url);
    const client = makeClient(redis.url);
    await Promise.all([admin.connect(), client.connect()]);
    const logs: LogEntry[] = [];
    let link: RedisFleet | undefined;
    let executor: Executor | undefined;
    try {
      // Every connected client is held from now on: the link's own subscriber connects, but its handshake is not answered.
      await admin.sendCommand(['CLIENT', 'PAUSE', '1500', 'ALL']);
      link = linkToRedis(client, { commandTimeoutMs: 100, rejoinIntervalMs: 50 });
      executor = createExecutor({ logger: (entry) => logs.push(entry), persist: link.persist({ name: freshName() }) });
      await expect(executor.execute(() => 'runs meanwhile')).resolves.toBe('runs meanwhile');
      const linkEvents = (): string[] => logs.filter((e) => e.event.startsWith('fleet-link')).map((e) => e.event);
      await vi.waitFor(() => expect(linkEvents()).toEqual(['fleet-link-down']), { timeout: 3_000, interval: 10 });
      expect(logs.find((e) => e.event === 'fleet-link-down')?.data).toMatchObject({ reason: 'Redis did not answer in time' });
      await vi.waitFor(() => expect(link!.state).toBe('up'), { timeout: 10_000, interval: 20 });
      expect(linkEvents()).toEqual(['fleet-link-down', 'fleet-link-up']);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => undefined);
      executor?.stop();
      await link?.close();
      admin.destroy();
      client.destroy();
    }
  });

  it('a half-open call runs before Redis answers again; the link says down once, then back', async () => {
    const clock = createTestClock();
    fleet = fleetOf(redis.url, freshName());
    const a = await fleet.join({ executor: { clock }, link: { commandTimeoutMs: 100 } });
    await vi.waitFor(() => expect(a.fleet.state).toBe('up'), { timeout: 3_000 });
    for (let i = 0; i < 2; i++) await a.executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
    await clock.advance(OPEN_MS);
    expect(a.executor.getCircuitState().state).toBe('halfOpen');

    const admin = makeClient(redis.url);
    await admin.connect();
    try {
      await admin.sendCommand(['CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL']);
      const pausedUntil = Date.now() + PAUSE_MS;
      const value = await a.executor.execute(() => 'trial while Redis is paused');
      const answeredAt = Date.now();
      expect(value).toBe('trial while Redis is paused');
      // The call did not wait for Redis: it settled while every Redis command was still held.
      expect(answeredAt).toBeLessThan(pausedUntil);
      console.log(`half-open call settled ${pausedUntil - answeredAt} ms before Redis answered again`);
      expect(a.executor.getCircuitState().state).toBe('closed');
      expect(a.linkEvents()).toEqual(['fleet-link-down']);
      expect(a.fleet.getStats().commandTimeouts).toBeGreaterThanOrEqual(1);

      await vi.waitFor(() => expect(a.fleet.state).toBe('up'), { timeout: PAUSE_MS + 5_000, interval: 20 });
      expect(a.linkEvents()).toEqual(['fleet-link-down', 'fleet-link-up']);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => undefined);
      admin.destroy();
    }
  });
});
