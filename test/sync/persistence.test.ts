import { describe, expect, it } from 'vitest';
import {
  createExecutor,
  type CircuitStorage,
  type Executor,
  type ExecutorOptions,
  type LogEntry,
} from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { createMemoryStorage, persistCircuit } from '../../src/sync/index.js';

/**
 * Persistence across reloads: an executor is stopped (the page closes) and a new one is made on the same storage (the
 * page loads again), on a SimulatedClock, so the time the page stayed closed is exact.
 */

const KEY = 'xstate-circuit-breaker:circuit:api';
const OPEN_MS = 60_000;

function page(storage: CircuitStorage, clock: ReturnType<typeof createTestClock>, extra: ExecutorOptions = {}): Executor {
  return createExecutor({
    clock,
    maxRetries: 0,
    failureThreshold: 2,
    openDurationMs: OPEN_MS,
    pacer: false,
    retryBudget: false,
    persist: persistCircuit({ name: 'api', storage }),
    ...extra,
  });
}

async function openCircuit(executor: Executor): Promise<void> {
  for (let i = 0; i < 2; i++) await executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
  expect(executor.getCircuitState().state).toBe('open');
}

const stored = (storage: CircuitStorage): unknown => JSON.parse(storage.getItem(KEY) ?? 'null');

describe('persist: the circuit survives a reload', () => {
  it('an opening is written to storage with its time, length and re-open count', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const executor = page(storage, clock);
    await openCircuit(executor);
    expect(stored(storage)).toEqual({
      v: 1,
      seq: 1,
      tab: expect.any(String),
      state: 'open',
      openedAt: clock.now(),
      openDurationMs: OPEN_MS,
      reopenCount: 0,
    });
    expect(executor.getSyncStats()).toMatchObject({ published: 1, adopted: 0 });
    executor.stop();
  });

  it('a reload during the open period restores open and re-arms the timer with only the time left', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = page(storage, clock);
    await openCircuit(first);
    const openedAt = clock.now();
    first.stop();

    await clock.advance(20_000); // the page stays closed for 20 s
    const second = page(storage, clock);
    expect(second.getCircuitState()).toMatchObject({ state: 'open', openedAt, nextAttemptAt: openedAt + OPEN_MS });
    expect(second.getSyncStats()).toMatchObject({ adopted: 1, published: 0 });
    await expect(second.execute(() => 'never')).rejects.toMatchObject({ code: 'RATE_LIMIT_CIRCUIT_OPEN', retryAfterMs: 40_000 });

    await clock.advance(39_999);
    expect(second.getCircuitState().state).toBe('open');
    await clock.advance(1);
    expect(second.getCircuitState().state).toBe('halfOpen');
    second.stop();
  });

  it('an open period that ran out while the page was closed restores as half-open, and a good trial closes it for good', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = page(storage, clock);
    await openCircuit(first);
    first.stop();

    await clock.advance(OPEN_MS + 5_000);
    const second = page(storage, clock);
    expect(second.getCircuitState().state).toBe('halfOpen');
    await expect(second.execute(() => 'trial ok')).resolves.toBe('trial ok');
    expect(second.getCircuitState().state).toBe('closed');
    expect(stored(storage)).toMatchObject({ v: 1, seq: 2, state: 'closed', closedAt: clock.now() });
    second.stop();

    const third = page(storage, clock);
    expect(third.getCircuitState().state).toBe('closed');
    expect(third.getSyncStats()).toMatchObject({ adopted: 0 });
    third.stop();
  });

  it('the re-open count survives a reload, so a failed trial after it backs the open period off', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const options = { openBackoffMultiplier: 2, maxOpenDurationMs: 600_000 };
    const first = page(storage, clock, options);
    await openCircuit(first);
    await clock.advance(OPEN_MS);
    await first.execute(() => Promise.reject(httpError(503))).catch(() => undefined); // failed trial: re-open 1, 120 s
    expect(first.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 1 });
    first.stop();

    await clock.advance(200_000); // longer than 120 s: restores half-open
    const second = page(storage, clock, options);
    expect(second.getCircuitState()).toMatchObject({ state: 'halfOpen', reopenCount: 1 });
    await second.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
    expect(second.getCircuitState()).toMatchObject({ state: 'open', reopenCount: 2 });
    expect(second.getCircuitState().nextAttemptAt).toBe(clock.now() + 240_000);
    second.stop();
  });

  it('without persist nothing is stored and a new executor starts closed', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = page(storage, clock, { persist: false });
    await openCircuit(first);
    expect(storage.getItem(KEY)).toBeNull();
    expect(first.getSyncStats()).toBeNull();
    first.stop();
  });

  it('circuits with different names do not see each other', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = page(storage, clock);
    await openCircuit(first);
    const other = page(storage, clock, { persist: persistCircuit({ name: 'billing', storage }) });
    expect(other.getCircuitState().state).toBe('closed');
    first.stop();
    other.stop();
  });

  it('an isolation is this page’s own hold: it is not stored, and releasing it stores no close', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const executor = page(storage, clock);
    const hold = executor.isolate();
    hold.dispose();
    expect(storage.getItem(KEY)).toBeNull();
    expect(executor.getSyncStats()).toMatchObject({ published: 0 });
    executor.stop();
  });

  it('releasing an isolation taken on an open circuit stores the close, so a reload finds the circuit closed', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const executor = page(storage, clock);
    await openCircuit(executor);
    expect(stored(storage)).toMatchObject({ state: 'open' });
    const hold = executor.isolate();
    hold.dispose();
    expect(executor.getCircuitState().state).toBe('closed');
    expect(stored(storage)).toMatchObject({ state: 'closed' });
    executor.stop();
    const next = page(storage, clock);
    expect(next.getCircuitState().state).toBe('closed');
    next.stop();
  });

  it('resetCircuit() on an open circuit stores the close', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const executor = page(storage, clock);
    await openCircuit(executor);
    executor.resetCircuit();
    expect(stored(storage)).toMatchObject({ seq: 2, state: 'closed' });
    executor.stop();
    const next = page(storage, clock);
    expect(next.getCircuitState().state).toBe('closed');
    next.stop();
  });

  it('the log says the state was restored, and from where', async () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const first = page(storage, clock);
    await openCircuit(first);
    first.stop();
    const entries: LogEntry[] = [];
    const second = page(storage, clock, { logger: (entry) => entries.push(entry) });
    expect(entries).toEqual([
      expect.objectContaining({
        event: 'circuit-opened',
        message: `Circuit breaker restored open from storage (${OPEN_MS}ms left)`,
        data: expect.objectContaining({ source: 'storage' }),
      }),
    ]);
    second.stop();
  });
});

describe('persist: what is stored cannot break the circuit', () => {
  const cases: Array<[string, string]> = [
    ['not JSON', '{"v":1,'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['a negative openedAt', JSON.stringify({ v: 1, seq: 3, tab: 't', state: 'open', openedAt: -5, openDurationMs: 1, reopenCount: 0 })],
    ['a NaN duration (as a string)', JSON.stringify({ v: 1, seq: 3, tab: 't', state: 'open', openedAt: 1, openDurationMs: 'NaN', reopenCount: 0 })],
    ['a fractional seq', JSON.stringify({ v: 1, seq: 1.5, tab: 't', state: 'open', openedAt: 1, openDurationMs: 1, reopenCount: 0 })],
    ['an unknown state', JSON.stringify({ v: 1, seq: 3, tab: 't', state: 'halfOpen' })],
    ['an empty tab id', JSON.stringify({ v: 1, seq: 3, tab: '', state: 'closed', closedAt: 1 })],
    ['a negative re-open count', JSON.stringify({ v: 1, seq: 3, tab: 't', state: 'open', openedAt: 1, openDurationMs: 1, reopenCount: -1 })],
  ];

  it.each(cases)('%s: ignored and counted as malformed; the circuit starts closed and still works', async (_label, text) => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    storage.setItem(KEY, text);
    const executor = page(storage, clock);
    expect(executor.getCircuitState().state).toBe('closed');
    expect(executor.getSyncStats()).toMatchObject({ malformed: 1, adopted: 0 });
    await openCircuit(executor); // and the next opening overwrites the bad value
    expect(stored(storage)).toMatchObject({ v: 1, state: 'open' });
    executor.stop();
  });

  it('a record of another format version (a newer release in another tab) is ignored and counted apart', () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify({ v: 2, seq: 9, tab: 't', state: 'open', openedAt: clock.now(), openDurationMs: 1e3 }));
    const executor = page(storage, clock);
    expect(executor.getCircuitState().state).toBe('closed');
    expect(executor.getSyncStats()).toMatchObject({ unsupported: 1, malformed: 0 });
    executor.stop();
  });

  it('an opening stamped in the future (another clock, a forged value) counts from now', () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const future = clock.now() + 3_600_000;
    storage.setItem(KEY, JSON.stringify({ v: 1, seq: 1, tab: 't', state: 'open', openedAt: future, openDurationMs: 10_000, reopenCount: 0 }));
    const executor = page(storage, clock);
    expect(executor.getCircuitState()).toMatchObject({ state: 'open', openedAt: clock.now(), nextAttemptAt: clock.now() + 10_000 });
    executor.stop();
  });

  it('an open period longer than the options allow is cut to the longest wait they allow', () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify({ v: 1, seq: 1, tab: 't', state: 'open', openedAt: clock.now(), openDurationMs: 1e12, reopenCount: 0 }));
    const executor = page(storage, clock, { maxOpenDurationMs: 300_000, maxRetryAfterMs: 120_000 });
    expect(executor.getCircuitState().nextAttemptAt).toBe(clock.now() + 300_000);
    executor.stop();
  });

  it('a storage that throws (quota, privacy mode) is counted; the circuit keeps working in memory', async () => {
    const clock = createTestClock();
    const broken: CircuitStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const executor = page(broken, clock);
    await openCircuit(executor);
    await clock.advance(OPEN_MS);
    await expect(executor.execute(() => 'ok')).resolves.toBe('ok');
    expect(executor.getCircuitState().state).toBe('closed');
    const stats = executor.getSyncStats()!;
    expect(stats.storageErrors).toBeGreaterThanOrEqual(3);
    expect(stats.published).toBe(2);
    executor.stop();
  });
});
