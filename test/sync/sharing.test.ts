import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  createExecutor,
  type CircuitStorage,
  type CircuitState,
  type Executor,
  type SyncLockManager,
} from '../../src/index.js';
import { createTestClock, flush, httpError } from '../support/clock.js';
import { LockRegistry } from './support/inProcessLocks.js';
import { createMemoryStorage, persistCircuit } from '../../src/sync/index.js';

/**
 * Tabs sharing a circuit, as executors in one process: one memory storage stands for the origin's localStorage and
 * Node's own BroadcastChannel (the real one) carries the messages. Trials are chosen by the storage lease (`locks:
 * null`) or by an in-process stand-in for `navigator.locks`; the real Web Locks run in the Chromium test.
 */

const OPEN_MS = 10_000;
let circuitNames = 0;
const executors: Executor[] = [];

afterEach(() => {
  for (const executor of executors.splice(0)) executor.stop();
});

type Clock = ReturnType<typeof createTestClock>;

interface Browser {
  name: string;
  storage: CircuitStorage;
  tab(clock: Clock, locks?: SyncLockManager | null): Executor;
}

function browser(): Browser {
  const name = `shared-${process.pid}-${++circuitNames}`;
  const storage = createMemoryStorage();
  return {
    name,
    storage,
    tab: (clock, locks = null) => {
      const executor = createExecutor({
        clock,
        maxRetries: 0,
        failureThreshold: 2,
        openDurationMs: OPEN_MS,
        // Longer than any slow trial here: these tests are about the lease across tabs, not the trial timeout.
        trialTimeoutMs: 60_000,
        pacer: false,
        retryBudget: false,
        persist: persistCircuit({ name, storage, shareAcrossTabs: true, locks, trialLeaseMs: 3_000 }),
      });
      executors.push(executor);
      return executor;
    },
  };
}

async function openCircuit(executor: Executor): Promise<void> {
  for (let i = 0; i < 2; i++) await executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
  expect(executor.getCircuitState().state).toBe('open');
}

/** Opens the circuit in `opener`, waits until the other tabs heard of it, and lets the open time run out. */
async function halfOpenEverywhere(clock: Clock, opener: Executor, others: readonly Executor[]): Promise<void> {
  await openCircuit(opener);
  await arrives(() => expect(others.map((t) => t.getCircuitState().state)).toEqual(others.map(() => 'open')));
  await clock.advance(OPEN_MS);
  for (const tab of [opener, ...others]) expect(tab.getCircuitState().state).toBe('halfOpen');
}

/** Waits for a channel message to arrive (delivery is asynchronous); asserts nothing about how long it takes. */
const arrives = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 2_000, interval: 5 });

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('shareAcrossTabs: openings and closes', () => {
  it('an outage seen in one tab opens the circuit in the other, with the same times; its listeners hear it', async () => {
    const clock = createTestClock();
    const b = browser();
    const one = b.tab(clock);
    const two = b.tab(clock);
    const heard: CircuitState[] = [];
    two.subscribe((state) => heard.push(state));
    await openCircuit(one);
    await arrives(() => expect(two.getCircuitState().state).toBe('open'));
    expect(two.getCircuitState()).toMatchObject({ openedAt: clock.now(), nextAttemptAt: clock.now() + OPEN_MS });
    expect(heard.map((s) => s.state)).toEqual(['open']);
    expect(two.getSyncStats()).toMatchObject({ adopted: 1, published: 0 });
    // The tab that adopted does not announce it back.
    await flush();
    expect(one.getSyncStats()).toMatchObject({ published: 1, adopted: 0, stale: 0 });
    await expect(two.execute(() => 'never')).rejects.toBeInstanceOf(CircuitOpenError);
  });

  it('the tab that ran a good trial closes the circuit in the others', async () => {
    const clock = createTestClock();
    const b = browser();
    const one = b.tab(clock);
    const two = b.tab(clock);
    await halfOpenEverywhere(clock, one, [two]);
    expect([one.getCircuitState().state, two.getCircuitState().state]).toEqual(['halfOpen', 'halfOpen']);
    await expect(one.execute(() => 'trial ok')).resolves.toBe('trial ok');
    await arrives(() => expect(two.getCircuitState().state).toBe('closed'));
  });

  it('a failed trial re-opens every tab, with the backed-off period', async () => {
    const clock = createTestClock();
    const b = browser();
    const one = b.tab(clock);
    const two = b.tab(clock);
    await halfOpenEverywhere(clock, two, [one]);
    await one.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
    expect(one.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 1 });
    await arrives(() => expect(two.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 1, openedAt: clock.now() }));
  });

  it('a tab opened later (or reloaded) finds the opening in storage', async () => {
    const clock = createTestClock();
    const b = browser();
    await openCircuit(b.tab(clock));
    await clock.advance(1_000);
    expect(b.tab(clock).getCircuitState()).toMatchObject({ state: 'open', nextAttemptAt: clock.now() + OPEN_MS - 1_000 });
  });
});

describe.each([
  ['a storage lease (no Web Locks)', () => () => null],
  ['Web Locks', () => { const registry = new LockRegistry(); return () => registry.manager(); }],
] as const)('shareAcrossTabs: one half-open trial across tabs, chosen by %s', (_label, makeLocks) => {
  it('when every tab calls at once, exactly one call reaches the server; the others are turned away', async () => {
    const clock = createTestClock();
    const b = browser();
    const locks = makeLocks();
    const tabs = [b.tab(clock, locks()), b.tab(clock, locks()), b.tab(clock, locks())] as const;
    await halfOpenEverywhere(clock, tabs[0], [tabs[1], tabs[2]]);

    const server = deferred<string>();
    let reached = 0;
    const calls = tabs.map((t) =>
      t.execute(() => {
        reached++;
        return server.promise;
      }).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
    await flush();
    expect(reached).toBe(1);
    server.resolve('trial ok');
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => 'value' in o)).toEqual([{ value: 'trial ok' }]);
    const turnedAway = outcomes.filter((o) => 'error' in o).map((o) => (o as { error: CircuitOpenError }).error);
    expect(turnedAway).toHaveLength(2);
    for (const error of turnedAway) expect(error).toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN', state: 'halfOpen' });
    await arrives(() => expect(tabs.map((t) => t.getCircuitState().state)).toEqual(['closed', 'closed', 'closed']));
    const stats = tabs.map((t) => t.getSyncStats()!);
    expect(stats.reduce((n, s) => n + s.trialsLed, 0)).toBe(1);
    expect(stats.reduce((n, s) => n + s.trialsElsewhere, 0)).toBe(2);
  });

  it('a trial given back without a verdict (aborted) lets another tab take the next one', async () => {
    const clock = createTestClock();
    const b = browser();
    const locks = makeLocks();
    const [one, two] = [b.tab(clock, locks()), b.tab(clock, locks())];
    await halfOpenEverywhere(clock, one, [two]);
    const controller = new AbortController();
    const aborted = one!.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), {
      signal: controller.signal,
    });
    await flush();
    await expect(two!.execute(() => 'not yet')).rejects.toBeInstanceOf(CircuitOpenError);
    controller.abort(new Error('user left the page section'));
    await expect(aborted).rejects.toThrow('user left the page section');
    await expect(two!.execute(() => 'trial from two')).resolves.toBe('trial from two');
    await arrives(() => expect(one!.getCircuitState().state).toBe('closed'));
  });

  it('a tab stopped mid-trial lets the trial go; the next call in another tab runs it', async () => {
    const clock = createTestClock();
    const b = browser();
    const locks = makeLocks();
    const [one, two] = [b.tab(clock, locks()), b.tab(clock, locks())];
    await halfOpenEverywhere(clock, one, [two]);
    const stuck = one!
      .execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))))
      .catch((error: unknown) => error);
    await flush();
    await expect(two!.execute(() => 'not yet')).rejects.toBeInstanceOf(CircuitOpenError);
    one!.stop();
    expect(await stuck).toMatchObject({ name: 'AbortError' });
    await expect(two!.execute(() => 'trial from two')).resolves.toBe('trial from two');
    expect(two!.getCircuitState().state).toBe('closed');
  });
});

describe('shareAcrossTabs: a tab that dies mid-trial does not strand the others', () => {
  it('Web Locks: the browser lets a crashed tab’s lock go at once', async () => {
    const clock = createTestClock();
    const b = browser();
    const registry = new LockRegistry();
    const lockOne = registry.manager();
    const one = b.tab(clock, lockOne);
    const two = b.tab(clock, registry.manager());
    await halfOpenEverywhere(clock, one, [two]);
    void one.execute(() => new Promise(() => undefined)); // the trial that never answers: the tab is about to die
    await flush();
    await expect(two.execute(() => 'not yet')).rejects.toBeInstanceOf(CircuitOpenError);
    lockOne.crash(); // no stop(), no outcome written: the tab is simply gone
    await expect(two.execute(() => 'trial from two')).resolves.toBe('trial from two');
  });

  it('storage lease: a crashed tab stops renewing, and its lease runs out after trialLeaseMs', async () => {
    const start = 1_700_000_000_000;
    const clockOne = createTestClock(start);
    const clockTwo = createTestClock(start);
    const b = browser();
    const one = b.tab(clockOne);
    const two = b.tab(clockTwo);
    await openCircuit(one);
    await arrives(() => expect(two.getCircuitState().state).toBe('open'));
    await clockOne.advance(OPEN_MS);
    await clockTwo.advance(OPEN_MS);
    void one.execute(() => new Promise(() => undefined));
    await flush();
    // The tab dies: its clock (and so its renewal timer) never moves again.
    await clockTwo.advance(2_999);
    await expect(two.execute(() => 'not yet')).rejects.toBeInstanceOf(CircuitOpenError);
    await clockTwo.advance(1);
    await expect(two.execute(() => 'trial from two')).resolves.toBe('trial from two');
  });

  it('storage lease: a live tab renews its lease, so a slow trial is not taken over', async () => {
    const clock = createTestClock();
    const b = browser();
    const [one, two] = [b.tab(clock), b.tab(clock)];
    await halfOpenEverywhere(clock, one, [two]);
    const server = deferred<string>();
    const slow = one!.execute(() => server.promise);
    await flush();
    for (let i = 0; i < 10; i++) await clock.advance(1_000); // 10 s, more than three leases
    await expect(two!.execute(() => 'not yet')).rejects.toBeInstanceOf(CircuitOpenError);
    server.resolve('slow but fine');
    await expect(slow).resolves.toBe('slow but fine');
    await arrives(() => expect(two!.getCircuitState().state).toBe('closed'));
  });
});

describe('shareAcrossTabs: what arrives on the channel cannot break the circuit', () => {
  it('malformed, foreign-version and stale messages are ignored and counted', async () => {
    const clock = createTestClock();
    const b = browser();
    const tab = b.tab(clock);
    const intruder = new BroadcastChannel(`xstate-circuit-breaker:${b.name}`);
    try {
      intruder.postMessage('open now!');
      intruder.postMessage({ v: 1, seq: 5, tab: 'x', state: 'open', openedAt: 'yesterday', openDurationMs: 1, reopenCount: 0 });
      intruder.postMessage({ v: 1, seq: 5, tab: 'x', state: 'open', openedAt: clock.now(), openDurationMs: Number.NaN, reopenCount: 0 });
      intruder.postMessage({ v: 2, seq: 5, tab: 'x', state: 'open', openedAt: clock.now(), openDurationMs: 1_000, reopenCount: 0 });
      intruder.postMessage(null);
      await arrives(() => expect(tab.getSyncStats()).toMatchObject({ malformed: 4, unsupported: 1 }));
      expect(tab.getCircuitState().state).toBe('closed');

      // A valid opening is adopted; a record that is not newer (a late message) is then ignored.
      intruder.postMessage({ v: 1, seq: 7, tab: 'x', state: 'open', openedAt: clock.now(), openDurationMs: 1_000, reopenCount: 0 });
      await arrives(() => expect(tab.getCircuitState().state).toBe('open'));
      intruder.postMessage({ v: 1, seq: 6, tab: 'x', state: 'closed', closedAt: clock.now() });
      await arrives(() => expect(tab.getSyncStats()).toMatchObject({ stale: 1, adopted: 1 }));
      expect(tab.getCircuitState().state).toBe('open');
    } finally {
      intruder.close();
    }
  });

  it('an isolated tab stays isolated whatever the others do', async () => {
    const clock = createTestClock();
    const b = browser();
    const [one, two] = [b.tab(clock), b.tab(clock)];
    const hold = two!.isolate();
    await openCircuit(one!);
    await arrives(() => expect(two!.getSyncStats()).toMatchObject({ adopted: 1 }));
    expect(two!.getCircuitState().state).toBe('isolated');
    hold.dispose();
  });

  it('stop() closes the channel: a stopped tab hears nothing more', async () => {
    const clock = createTestClock();
    const b = browser();
    const [one, two] = [b.tab(clock), b.tab(clock)];
    two!.stop();
    await openCircuit(one!);
    await flush();
    await flush();
    expect(two!.getSyncStats()).toMatchObject({ adopted: 0, stale: 0, malformed: 0 });
  });
});
