import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../src/createExecutor.js';
import { createMemoryStorage } from '../../src/sync/createMemoryStorage.js';
import type { SyncChannel, SyncLockManager } from '../../src/sync/types.js';
import type { ExecutorOptions } from '../../src/options.js';
import type { LogEntry } from '../../src/types.js';
import { createTestClock, flush, httpError, track } from '../support/clock.js';
import { persistCircuit } from '../../src/sync/index.js';

/**
 * Mutation tests for the `persist` wiring of the executor: the wait for the trial lock of a shared circuit, and the
 * log lines of transitions brought in from storage or from another tab. Tabs are executors in one process, over an
 * in-memory channel that delivers synchronously to the other tabs, and a lock manager whose grants the test releases.
 */

type Listener = (event: { data: unknown }) => void;

function createHub(): (name: string) => SyncChannel {
  const channels: Array<{ name: string; listeners: Set<Listener> }> = [];
  return (name) => {
    const self = { name, listeners: new Set<Listener>() };
    channels.push(self);
    return {
      postMessage(message) {
        for (const other of channels) {
          if (other !== self && other.name === name) for (const l of [...other.listeners]) l({ data: structuredClone(message) });
        }
      },
      addEventListener: (_type, listener) => self.listeners.add(listener),
      removeEventListener: (_type, listener) => self.listeners.delete(listener),
      close: () => self.listeners.clear(),
    };
  };
}

/** Web Locks stand-in: `request(ifAvailable)` answers only once the gate is open. */
function gatedLocks(): { manager: SyncLockManager; held: Set<string>; hold(): void; open(): void } {
  const held = new Set<string>();
  let gate: Promise<void> = Promise.resolve();
  let openGate: () => void = () => {};
  return {
    held,
    hold() {
      gate = new Promise((resolve) => (openGate = resolve));
    },
    open() {
      openGate();
    },
    manager: {
      request(name, _options, callback) {
        return gate.then(() => {
          if (held.has(name)) return callback(null);
          held.add(name);
          const result = Promise.resolve(callback({ name, mode: 'exclusive' }));
          void result.finally(() => held.delete(name)).catch(() => undefined);
          return result;
        });
      },
    } as SyncLockManager,
  };
}

const OPEN_MS = 10_000;
const executors: Executor[] = [];
afterEach(() => {
  for (const executor of executors.splice(0)) executor.stop();
});

function tab(options: ExecutorOptions & { persist: NonNullable<ExecutorOptions['persist']> }): Executor {
  const executor = createExecutor({
    maxRetries: 0,
    failureThreshold: 2,
    openDurationMs: OPEN_MS,
    pacer: false,
    retryBudget: false,
    ...options,
  });
  executors.push(executor);
  return executor;
}

async function openCircuit(executor: Executor): Promise<void> {
  for (let i = 0; i < 2; i++) await executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
  expect(executor.getCircuitState().state).toBe('open');
}

describe('executor: a half-open call of a shared circuit that waits for the trial lock', () => {
  async function halfOpenTab(): Promise<{ executor: Executor; locks: ReturnType<typeof gatedLocks>; clock: ReturnType<typeof createTestClock> }> {
    const clock = createTestClock();
    const locks = gatedLocks();
    const executor = tab({
      clock,
      persist: persistCircuit({ name: 'lock', storage: createMemoryStorage(), shareAcrossTabs: true, createChannel: createHub(), locks: locks.manager }),
    });
    await openCircuit(executor);
    await clock.advance(OPEN_MS);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    return { executor, locks, clock };
  }

  it('aborted while it waits: it rejects with the abort reason, is counted aborted once, never runs, and lets the lock go', async () => {
    const { executor, locks } = await halfOpenTab();
    locks.hold();
    const controller = new AbortController();
    let ran = 0;
    const call = track(executor.execute(() => ran++, { signal: controller.signal }));
    await flush();
    expect(call.settled).toBe(false);
    const reason = new Error('left the page');
    controller.abort(reason);
    locks.open();
    await flush();
    expect(call).toMatchObject({ settled: true, error: reason });
    expect(ran).toBe(0);
    expect(executor.getStats()).toMatchObject({ aborted: 1, succeeded: 0, failed: 2 });
    expect(locks.held.size).toBe(0);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
  });

  it('stopped while it waits: it rejects with the stop reason and never runs', async () => {
    const { executor, locks } = await halfOpenTab();
    locks.hold();
    let ran = 0;
    const call = track(executor.execute(() => ran++));
    await flush();
    const reason = new Error('page closed');
    executor.stop(reason);
    locks.open();
    await flush();
    expect(call).toMatchObject({ settled: true, error: reason });
    expect(ran).toBe(0);
    expect(executor.getStats()).toMatchObject({ aborted: 1 });
  });

  it('not aborted: it wins the lock and runs as the trial', async () => {
    const { executor, locks } = await halfOpenTab();
    locks.hold();
    const call = track(executor.execute(() => 'trial'));
    await flush();
    locks.open();
    await flush();
    expect(call).toMatchObject({ settled: true, value: 'trial' });
    expect(executor.getCircuitState().state).toBe('closed');
  });
});

describe('executor: log lines of transitions brought in by persist', () => {
  it('from another tab: opened (with the time left), half-open when the period is over, and closed', async () => {
    const clock = createTestClock();
    const ahead = createTestClock(clock.now() + OPEN_MS + 5_000);
    const storage = createMemoryStorage();
    const createChannel = createHub();
    const persist = persistCircuit({ name: 'logs', storage, shareAcrossTabs: true, createChannel, locks: null });
    const one = tab({ clock, persist });
    const entries: LogEntry[] = [];
    const late: LogEntry[] = [];
    tab({ clock, persist, logger: (entry) => entries.push(entry) });
    tab({ clock: ahead, persist, logger: (entry) => late.push(entry) });
    await openCircuit(one);
    await flush();
    expect(entries).toEqual([
      expect.objectContaining({
        level: 'error',
        event: 'circuit-opened',
        message: `Circuit breaker opened in another tab (${OPEN_MS}ms left)`,
        data: expect.objectContaining({ source: 'tab', to: 'open' }),
      }),
    ]);
    // A tab whose clock is past the open period goes straight to half-open.
    expect(late).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'circuit-half-open',
        message: 'Circuit breaker half-open (from another tab): the open period is over',
        data: expect.objectContaining({ source: 'tab', to: 'halfOpen' }),
      }),
    ]);
    one.resetCircuit();
    await flush();
    expect(entries.slice(1)).toEqual([
      { level: 'info', event: 'circuit-closed', message: 'Circuit breaker closed (from another tab)', data: expect.objectContaining({ source: 'tab', to: 'closed' }) },
    ]);
    expect(late.slice(1)).toEqual([
      { level: 'info', event: 'circuit-closed', message: 'Circuit breaker closed (from another tab)', data: expect.objectContaining({ source: 'tab', to: 'closed' }) },
    ]);
  });

  it('from storage, after the open period ran out while the page was closed: restored half-open', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = tab({ clock, persist: persistCircuit({ name: 'restore', storage }) });
    await openCircuit(first);
    first.stop();
    await clock.advance(OPEN_MS + 1);
    const entries: LogEntry[] = [];
    const second = tab({ clock, persist: persistCircuit({ name: 'restore', storage }), logger: (entry) => entries.push(entry) });
    expect(second.getCircuitState().state).toBe('halfOpen');
    expect(entries).toEqual([
      expect.objectContaining({
        level: 'info',
        event: 'circuit-half-open',
        message: 'Circuit breaker restored half-open: its open period ended while the page was closed',
        data: expect.objectContaining({ source: 'storage' }),
      }),
    ]);
  });

  it('from storage during the open period: restored open, as an error line', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = tab({ clock, persist: persistCircuit({ name: 'restore-open', storage }) });
    await openCircuit(first);
    first.stop();
    await clock.advance(4_000);
    const entries: LogEntry[] = [];
    tab({ clock, persist: persistCircuit({ name: 'restore-open', storage }), logger: (entry) => entries.push(entry) });
    expect(entries).toEqual([
      expect.objectContaining({ level: 'error', event: 'circuit-opened', message: `Circuit breaker restored open from storage (${OPEN_MS - 4_000}ms left)` }),
    ]);
  });
});

describe('executor: persist is wired only when given', () => {
  it('without persist: no sync stats; with it: stats', () => {
    expect(tab({ clock: createTestClock() } as never).getSyncStats()).toBeNull();
    const withSync = tab({ clock: createTestClock(), persist: persistCircuit({ name: 'wired', storage: createMemoryStorage() }) });
    expect(withSync.getSyncStats()).toMatchObject({ adopted: 0 });
  });
});

describe('executor: the pacer learns only from the headers of an object value', () => {
  it('a function value carrying headers with get() is not read', async () => {
    const seen: unknown[] = [];
    const pacer = {
      reserve: () => 0,
      cancel: () => {},
      observeSuccess: (headers: unknown) => seen.push(headers),
      observeFailure: () => {},
      observeRateLimited: () => {},
      getState: () => ({ source: 'unknown', ratePerSecond: Infinity, burst: Infinity, tokens: Infinity, blockedUntil: null, throttled: 0, inFlight: 0 }) as const,
    };
    const executor = createExecutor({ clock: createTestClock(), pacer, retryBudget: false });
    executors.push(executor);
    const headers = new Headers({ 'RateLimit-Remaining': '1' });
    const value = Object.assign(() => 'fn', { headers });
    await executor.execute(() => value);
    await executor.execute(() => ({ headers }));
    expect(seen).toEqual([undefined, headers]);
  });
});

describe('executor: a call aborted by its own predicate on a later failure', () => {
  it('ends at once, aborted: no retry is announced for that failure', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    const retries: number[] = [];
    const lines: string[] = [];
    const executor = createExecutor({
      clock,
      pacer: false,
      retryBudget: false,
      jitter: 'none',
      maxRetries: 3,
      logger: (entry) => lines.push(entry.event),
      shouldRetry: (_error, { attempt }) => {
        if (attempt === 2) controller.abort('enough');
        return true;
      },
    });
    executors.push(executor);
    const call = track(executor.execute(() => Promise.reject(httpError(503)), { signal: controller.signal, onRetry: ({ attempt }) => retries.push(attempt) }));
    for (let i = 0; i < 5; i++) await clock.advance(1_000);
    expect(call).toMatchObject({ settled: true, error: 'enough' });
    expect(retries).toEqual([1]);
    expect(lines.filter((e) => e === 'retry')).toHaveLength(1);
    expect(executor.getStats()).toMatchObject({ aborted: 1, failed: 0 });
  });
});
