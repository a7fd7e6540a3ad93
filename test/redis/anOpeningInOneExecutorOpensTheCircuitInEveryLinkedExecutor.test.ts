import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitOpenError, createExecutor } from '../../src/index.js';
import { useRedisServer } from '../support/servers/redisServer.js';
import { createTestClock, httpError } from '../support/clock.js';
import { fleetOf, freshName, makeClient, OPEN_MS, type Member } from './support/fleetHelpers.js';

/**
 * Executors in one process, each with its own node-redis client and link (as separate processes would have), sharing
 * one circuit through a real redis-server. The executors run on a simulated clock; Redis traffic is real.
 */

const redis = useRedisServer();

let fleet: ReturnType<typeof fleetOf>;
afterEach(async () => {
  await fleet.stopAll();
});

const arrives = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 3_000, interval: 5 });

async function openCircuit(member: Member): Promise<void> {
  for (let i = 0; i < 2; i++) await member.executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
  expect(member.executor.getCircuitState().state).toBe('open');
}

describe('linkToRedis: one circuit across linked executors', () => {
  it('an opening seen by one executor opens the circuit in the others, with the same times', async () => {
    const clock = createTestClock();
    fleet = fleetOf(redis.url, freshName());
    const [a, b, c] = [await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } })];
    await arrives(() => expect([a, b, c].map((m) => m.fleet.state)).toEqual(['up', 'up', 'up']));
    await openCircuit(a);
    await arrives(() => expect([b, c].map((m) => m.executor.getCircuitState().state)).toEqual(['open', 'open']));
    for (const m of [b, c]) {
      expect(m.executor.getCircuitState()).toMatchObject({ openedAt: clock.now(), nextAttemptAt: clock.now() + OPEN_MS });
      await expect(m.executor.execute(() => 'never')).rejects.toBeInstanceOf(CircuitOpenError);
    }
    expect(a.executor.getSyncStats()).toMatchObject({ published: 1, adopted: 0 });
    expect(b.executor.getSyncStats()).toMatchObject({ published: 0, adopted: 1 });
    // The others say where the opening came from: another process of the fleet, not another tab.
    for (const m of [b, c]) {
      expect(m.logs.filter((e) => e.event === 'circuit-opened').map((e) => e.message)).toEqual([`Circuit breaker opened in another process (${OPEN_MS}ms left)`]);
    }
  });

  it('an executor that joins later starts from the record in Redis', async () => {
    const clock = createTestClock();
    const name = freshName();
    fleet = fleetOf(redis.url, name);
    const a = await fleet.join({ executor: { clock } });
    await arrives(() => expect(a.fleet.state).toBe('up'));
    await openCircuit(a);
    // The record reaches Redis in the background.
    const reader = makeClient(redis.url);
    await reader.connect();
    try {
      await arrives(async () => expect(JSON.parse((await reader.get(`test:xstate-circuit-breaker:circuit:${name}`)) ?? '{}')).toMatchObject({ state: 'open', seq: 1 }));
    } finally {
      reader.destroy();
    }
    const late = await fleet.join({ executor: { clock } });
    await arrives(() => expect(late.executor.getCircuitState()).toMatchObject({ state: 'open', openedAt: clock.now() }));
  });

  it('two executors on one link share the circuit too, without counting their own echo from Redis as stale', async () => {
    const clock = createTestClock();
    const name = freshName();
    fleet = fleetOf(redis.url, name);
    const [a, other] = [await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } })];
    const sibling = createExecutor({ clock, maxRetries: 0, failureThreshold: 2, openDurationMs: OPEN_MS, pacer: false, retryBudget: false, persist: a!.fleet.persist({ name }) });
    const admin = makeClient(redis.url);
    await admin.connect();
    try {
      await arrives(() => expect([a!.fleet.state, other!.fleet.state]).toEqual(['up', 'up']));
      await openCircuit(a!);
      await arrives(() => expect(sibling.getCircuitState()).toMatchObject({ state: 'open', openedAt: clock.now() }));
      // Once another link has the opening, Redis has sent the echo to this one too; a marker published after it
      // arrives after it, so when the marker is counted the echo has been handled: it is known here, heard by no one.
      await arrives(() => expect(other!.executor.getCircuitState().state).toBe('open'));
      await admin.publish(`test:xstate-circuit-breaker:${name}`, 'marker');
      await arrives(() => expect(a!.fleet.getStats().malformed).toBe(1));
      expect(a!.executor.getSyncStats()).toMatchObject({ published: 1, stale: 0 });
      expect(sibling.getSyncStats()).toMatchObject({ adopted: 1, stale: 0 });
    } finally {
      sibling.stop();
      admin.destroy();
    }
  });

  it('a good trial in one executor closes the circuit in all, and exactly one executor runs it', async () => {
    const clock = createTestClock();
    fleet = fleetOf(redis.url, freshName());
    const members = [await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } }), await fleet.join({ executor: { clock } })];
    await arrives(() => expect(members.map((m) => m.fleet.state)).toEqual(['up', 'up', 'up']));
    await openCircuit(members[0]!);
    await arrives(() => expect(members.map((m) => m.executor.getCircuitState().state)).toEqual(['open', 'open', 'open']));
    await clock.advance(OPEN_MS);
    expect(members.map((m) => m.executor.getCircuitState().state)).toEqual(['halfOpen', 'halfOpen', 'halfOpen']);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let trials = 0;
    const calls = members.map((m) =>
      m.executor
        .execute(async () => {
          trials++;
          await gate;
          return 'ok';
        })
        .then(
          () => 'ran',
          (error: unknown) => (error instanceof CircuitOpenError ? 'refused' : 'failed'),
        ),
    );
    // The two turned away hear it from Redis; the winner's trial starts once it has also read the record.
    await arrives(() => {
      expect(members.reduce((n, m) => n + m.executor.getSyncStats()!.trialsElsewhere, 0)).toBe(2);
      expect(trials).toBe(1);
    });
    release();
    expect((await Promise.all(calls)).sort()).toEqual(['ran', 'refused', 'refused']);
    expect(trials).toBe(1);
    await arrives(() => expect(members.map((m) => m.executor.getCircuitState().state)).toEqual(['closed', 'closed', 'closed']));
  });
});
