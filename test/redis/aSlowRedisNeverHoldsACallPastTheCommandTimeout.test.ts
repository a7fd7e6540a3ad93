import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from '../support/servers/redisServer.js';
import { createTestClock, httpError } from '../support/clock.js';
import { fleetOf, freshName, makeClient, OPEN_MS } from './support/fleetHelpers.js';

/**
 * A Redis that stops answering (CLIENT PAUSE holds every client's commands) must not hold a call: the half-open trial
 * waits at most `commandTimeoutMs` for the lease, then the process runs the trial on its own say.
 */

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis.stop();
});
let fleet: ReturnType<typeof fleetOf>;
afterEach(async () => {
  await fleet.stopAll();
});

const PAUSE_MS = 3_000;

describe('a slow Redis', () => {
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
