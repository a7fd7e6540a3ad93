import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { circuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import { createExecutor } from '../../src/createExecutor.js';
import { CircuitSync } from '../../src/sync/CircuitSync.js';
import { createMemoryStorage } from '../../src/sync/createMemoryStorage.js';
import { channelName, leaseKey, recordKey } from '../../src/sync/records.js';
import type { CircuitStorage, SyncChannel, SyncLockManager } from '../../src/sync/types.js';
import { createTestClock, flush, httpError } from '../support/clock.js';
import { LockRegistry } from './support/inProcessLocks.js';
import { persistCircuit } from '../../src/sync/index.js';

/**
 * Exact behaviour of CircuitSync, driven directly: a real circuit actor on a simulated clock, a memory storage, and a
 * channel that delivers only when the test hands a message to the listener.
 */

const NAME = 'mut';
const KEY = recordKey(NAME);
const LEASE = leaseKey(NAME);
const OPEN_MS = 1_000;

type Listener = (event: { data: unknown }) => void;

/** A channel that records what it was asked to do; the test calls `deliver` to play a message from another tab. */
class FakeChannel implements SyncChannel {
  readonly posted: unknown[] = [];
  readonly listeners = new Set<Listener>();
  /** Every listener ever added, kept after removal (a message already dispatched can still reach it). */
  readonly added: Listener[] = [];
  closes = 0;
  throwOnPost = false;
  postMessage(message: unknown): void {
    if (this.throwOnPost) throw new DOMException('closed', 'InvalidStateError');
    this.posted.push(message);
  }
  addEventListener(type: 'message', listener: Listener): void {
    if (type === 'message') {
      this.listeners.add(listener);
      this.added.push(listener);
    }
  }
  removeEventListener(type: 'message', listener: Listener): void {
    if (type === 'message') this.listeners.delete(listener);
  }
  close(): void {
    this.closes++;
  }
  deliver(data: unknown): void {
    for (const listener of this.listeners) listener({ data: structuredClone(data) });
  }
}

/** Counts the lock requests a manager gets. */
function counting(manager: SyncLockManager): SyncLockManager & { requests: number } {
  const wrapped = {
    requests: 0,
    request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => unknown): Promise<unknown> {
      wrapped.requests++;
      return manager.request(name, options, callback);
    },
  };
  return wrapped;
}

interface Setup {
  clock: ReturnType<typeof createTestClock>;
  storage: CircuitStorage;
  actor: ReturnType<typeof createActor<typeof circuitBreakerMachine>>;
  sync: CircuitSync;
  channel: FakeChannel;
  tab(): string;
}

const started: Setup[] = [];
afterEach(() => {
  for (const s of started.splice(0)) {
    s.sync.stop();
    s.actor.stop();
  }
  vi.restoreAllMocks();
});

function setup(
  options: {
    shared?: boolean;
    storage?: CircuitStorage;
    locks?: SyncLockManager | null;
    channel?: FakeChannel | null;
    maxOpenDurationMs?: number;
    start?: boolean;
    clock?: ReturnType<typeof createTestClock>;
  } = {},
): Setup {
  const clock = options.clock ?? createTestClock();
  const storage = options.storage ?? createMemoryStorage();
  const channel = options.channel === undefined ? new FakeChannel() : options.channel;
  const actor = createActor(circuitBreakerMachine, { input: { policy: { failureThreshold: 1, openDurationMs: OPEN_MS } }, clock });
  actor.start();
  const sync = new CircuitSync(
    actor,
    {
      name: NAME,
      storage,
      shareAcrossTabs: options.shared ?? true,
      createChannel: channel === null ? null : () => channel,
      locks: options.locks ?? null,
      trialLeaseMs: 3_000,
    },
    clock,
    options.maxOpenDurationMs ?? 50_000,
  );
  if (options.start !== false) sync.start();
  const s: Setup = {
    clock,
    storage,
    actor,
    sync,
    channel: channel ?? new FakeChannel(),
    tab: () => (JSON.parse(storage.getItem(KEY)!) as { tab: string }).tab,
  };
  started.push(s);
  return s;
}

const stored = (storage: CircuitStorage): unknown => JSON.parse(storage.getItem(KEY)!);
const fail = (s: Setup, at = s.clock.now()): void =>
  s.actor.send({ type: 'FAILURE', at, epoch: s.actor.getSnapshot().context.epoch, retryAfterMs: null });
const succeed = (s: Setup): void => s.actor.send({ type: 'SUCCESS', at: s.clock.now(), epoch: s.actor.getSnapshot().context.epoch });
/** An event the circuit ignores: observers still get a (same) snapshot. */
const nudge = (s: Setup): void => s.actor.send({ type: 'IGNORED', epoch: -1 });
const state = (s: Setup): string => s.actor.getSnapshot().value;

async function halfOpen(s: Setup): Promise<void> {
  fail(s);
  await s.clock.advance(OPEN_MS);
  expect(state(s)).toBe('halfOpen');
}

const openRecord = (seq: number, extra: Record<string, unknown> = {}) => ({
  v: 1,
  seq,
  tab: 'other',
  state: 'open',
  openedAt: 1_700_000_000_000,
  openDurationMs: OPEN_MS,
  reopenCount: 0,
  ...extra,
});
const closedRecord = (seq: number, extra: Record<string, unknown> = {}) => ({ v: 1, seq, tab: 'other', state: 'closed', closedAt: 1, ...extra });

const STATS0 = { published: 0, adopted: 0, stale: 0, malformed: 0, unsupported: 0, storageErrors: 0, trialsLed: 0, trialsElsewhere: 0 };

describe('CircuitSync: what is stored and announced', () => {
  it('stores and announces the exact opening record, with the opening time of the failure, and the close', async () => {
    const s = setup();
    const at = s.clock.now() - 500;
    fail(s, at);
    const tab = s.tab();
    const opened = { v: 1, seq: 1, tab, state: 'open', openedAt: at, openDurationMs: OPEN_MS, reopenCount: 0 };
    expect(stored(s.storage)).toEqual(opened);
    expect(s.channel.posted).toEqual([opened]);
    s.actor.send({ type: 'RESET' });
    const closed = { v: 1, seq: 2, tab, state: 'closed', closedAt: s.clock.now() };
    expect(stored(s.storage)).toEqual(closed);
    expect(s.channel.posted).toEqual([opened, closed]);
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 2 });
  });

  it('continues from a newer seq found in storage (written by a tab it never heard)', () => {
    const s = setup();
    s.storage.setItem(KEY, JSON.stringify(closedRecord(7)));
    fail(s);
    expect(stored(s.storage)).toMatchObject({ seq: 8, state: 'open' });
  });

  it('keeps its own, higher seq when storage holds an older record', () => {
    const s = setup();
    s.channel.deliver(closedRecord(5));
    s.storage.setItem(KEY, JSON.stringify(closedRecord(2)));
    fail(s);
    expect(stored(s.storage)).toMatchObject({ seq: 6, state: 'open' });
  });

  it('an adopted opening is not published again', () => {
    const s = setup();
    s.channel.deliver(openRecord(3, { openedAt: s.clock.now() }));
    expect(state(s)).toBe('open');
    expect(s.sync.getStats()).toEqual({ ...STATS0, adopted: 1 });
    expect(s.channel.posted).toEqual([]);
    expect(s.storage.getItem(KEY)).toBeNull();
  });

  it('a setItem that throws is counted; the record is still announced and counted as published', () => {
    const storage = createMemoryStorage();
    const s = setup({ storage: { ...storage, setItem: () => { throw new Error('quota'); } } });
    fail(s);
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 1, storageErrors: 1 });
    expect(s.channel.posted).toHaveLength(1);
  });

  it('a getItem that throws is counted (once at start, once per publish)', () => {
    const s = setup({ storage: { getItem: () => { throw new Error('denied'); }, setItem: () => undefined, removeItem: () => undefined } });
    expect(s.sync.getStats()).toEqual({ ...STATS0, storageErrors: 1 });
    fail(s);
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 1, storageErrors: 2 });
  });

  it('a postMessage that throws is counted as a storage error; the record is still stored', () => {
    const s = setup();
    s.channel.throwOnPost = true;
    fail(s);
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 1, storageErrors: 1 });
    expect(stored(s.storage)).toMatchObject({ seq: 1, state: 'open' });
  });

  it('not shared: no channel is created even when a factory is given; publishing counts no error', () => {
    const channel = new FakeChannel();
    const create = vi.fn(() => channel);
    const clock = createTestClock();
    const storage = createMemoryStorage();
    const executor = createExecutor({
      clock,
      maxRetries: 0,
      failureThreshold: 1,
      pacer: false,
      retryBudget: false,
      persist: persistCircuit({ name: NAME, storage, createChannel: create }),
    });
    return executor
      .execute(() => Promise.reject(httpError(503)))
      .catch(() => undefined)
      .then(() => {
        expect(create).not.toHaveBeenCalled();
        expect(executor.getSyncStats()).toEqual({ ...STATS0, published: 1 });
        executor.stop();
      });
  });

  it('not shared, without channel: publishing counts no error, holdsTrial and releaseIdleTrial are harmless', async () => {
    const s = setup({ shared: false, channel: null });
    fail(s);
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 1 });
    expect(s.sync.sharesTrials).toBe(false);
    await s.clock.advance(OPEN_MS);
    expect(state(s)).toBe('halfOpen');
    expect(s.sync.holdsTrial()).toBe(false);
    expect(() => s.sync.releaseIdleTrial()).not.toThrow();
    await expect(s.sync.requestTrial()).resolves.toBe(false);
  });

  it('shared with no channel factory: works without a channel', () => {
    const s = setup({ channel: null });
    fail(s);
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 1 });
  });

  it('a state change into open from a no-op event is not re-published', () => {
    const s = setup();
    fail(s);
    nudge(s);
    nudge(s);
    expect(s.sync.getStats().published).toBe(1);
  });
});

describe('CircuitSync: what it adopts', () => {
  it('malformed and unsupported messages are counted and ignored', () => {
    const s = setup();
    s.channel.deliver({ v: 1, seq: 'x' });
    s.channel.deliver({ ...openRecord(4), v: 2 });
    expect(s.sync.getStats()).toEqual({ ...STATS0, malformed: 1, unsupported: 1 });
    expect(state(s)).toBe('closed');
  });

  it('a stored opening clamps a future openedAt to now and caps the duration', () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify(openRecord(2, { openedAt: clock.now() + 60_000, openDurationMs: 900_000, reopenCount: 3 })));
    const s = setup({ storage, clock, maxOpenDurationMs: 5_000 });
    expect(s.actor.getSnapshot().context).toMatchObject({ openedAt: clock.now(), openDurationMs: 5_000, reopenCount: 3 });
    expect(s.sync.getStats()).toEqual({ ...STATS0, adopted: 1 });
  });

  it('the executor caps an adopted duration at max(maxOpenDurationMs, maxRetryAfterMs)', () => {
    const clock = createTestClock();
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify(openRecord(2, { openedAt: clock.now(), openDurationMs: 10_000_000 })));
    const executor = createExecutor({
      clock,
      maxRetries: 0,
      pacer: false,
      retryBudget: false,
      openDurationMs: 1_000,
      maxOpenDurationMs: 2_000,
      maxRetryAfterMs: 7_000,
      persist: persistCircuit({ name: NAME, storage }),
    } as Parameters<typeof createExecutor>[0]);
    expect(executor.circuit.getSnapshot().context.openDurationMs).toBe(7_000);
    executor.stop();
  });

  it('own-tab records from the channel are stale; from storage they are adopted', () => {
    vi.spyOn(globalThis.crypto, 'randomUUID').mockReturnValue('0-0-0-0-me' as `${string}-${string}-${string}-${string}-${string}`);
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify(closedRecord(1, { tab: '0-0-0-0-me' })));
    const s = setup({ storage });
    expect(s.sync.getStats()).toEqual(STATS0);
    s.channel.deliver(openRecord(5, { tab: '0-0-0-0-me', openedAt: s.clock.now() }));
    expect(s.sync.getStats()).toEqual({ ...STATS0, stale: 1 });
    expect(state(s)).toBe('closed');
    // from storage (restart) the same record is adopted
    storage.setItem(KEY, JSON.stringify(openRecord(5, { tab: '0-0-0-0-me', openedAt: s.clock.now() })));
    const t = setup({ storage, clock: s.clock });
    expect(state(t)).toBe('open');
    expect(t.sync.getStats()).toEqual({ ...STATS0, adopted: 1 });
  });

  it('an older record is stale, whatever its state', () => {
    const s = setup();
    s.channel.deliver(closedRecord(4));
    s.channel.deliver(openRecord(3, { openedAt: s.clock.now() }));
    s.channel.deliver(closedRecord(2));
    expect(state(s)).toBe('closed');
    expect(s.sync.getStats()).toEqual({ ...STATS0, stale: 2 });
    // the seq stays 4: a record 4 that opens is a tie won by the opening
    s.channel.deliver(openRecord(4, { openedAt: s.clock.now() }));
    expect(state(s)).toBe('open');
    expect(s.sync.getStats()).toEqual({ ...STATS0, stale: 2, adopted: 1 });
  });

  it('tie: an opening beats a close only when this tab is closed', () => {
    const s = setup();
    fail(s); // seq 1, open
    s.channel.deliver(closedRecord(1));
    expect(state(s)).toBe('open');
    s.channel.deliver(openRecord(1, { openedAt: s.clock.now() }));
    expect(state(s)).toBe('open');
    expect(s.sync.getStats()).toEqual({ ...STATS0, published: 1, stale: 2 });
  });

  it('tie: a close does not beat a close', () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify(closedRecord(3)));
    const s = setup({ storage });
    expect(s.sync.getStats()).toEqual(STATS0);
    s.channel.deliver(closedRecord(3));
    expect(s.sync.getStats()).toEqual({ ...STATS0, stale: 1 });
  });

  it('tie: an opening beats this tab’s close', () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify(closedRecord(3)));
    const s = setup({ storage });
    s.channel.deliver(openRecord(3, { openedAt: s.clock.now() }));
    expect(state(s)).toBe('open');
    expect(s.sync.getStats()).toEqual({ ...STATS0, adopted: 1 });
  });

  it('the source is "tab" while a channel record is adopted, and "storage" at start', () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify(openRecord(1, { openedAt: Date.now() })));
    const seen: unknown[] = [];
    const clock = createTestClock(Date.now());
    const s = setup({ storage, clock, start: false });
    s.actor.subscribe(() => seen.push(s.sync.adopting));
    s.sync.start();
    s.channel.deliver(closedRecord(2));
    expect(seen).toEqual(['storage', 'tab']);
    expect(s.sync.adopting).toBeNull();
  });

  it('after stop(), a message that still reaches the listener is ignored', () => {
    const s = setup();
    const listener = s.channel.added[0]!;
    s.sync.stop();
    listener({ data: openRecord(9, { openedAt: s.clock.now() }) });
    expect(state(s)).toBe('closed');
    expect(s.sync.getStats()).toEqual(STATS0);
  });
});

describe('CircuitSync: stop()', () => {
  it('unsubscribes, removes its listener, closes the channel once, and ignores later changes', () => {
    const s = setup();
    s.sync.stop();
    s.sync.stop();
    expect(s.channel.closes).toBe(1);
    expect(s.channel.listeners.size).toBe(0);
    fail(s);
    expect(s.storage.getItem(KEY)).toBeNull();
    expect(s.sync.getStats()).toEqual(STATS0);
  });

  it('can be stopped before it was started', () => {
    const s = setup({ start: false });
    expect(() => s.sync.stop()).not.toThrow();
  });
});

describe('CircuitSync: the trial lock', () => {
  it('requestTrial is false without asking the lock when closed, open, or stopped', async () => {
    const registry = new LockRegistry();
    const locks = counting(registry.manager());
    const s = setup({ locks });
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    fail(s);
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    await s.clock.advance(OPEN_MS);
    s.sync.stop();
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    expect(locks.requests).toBe(0);
    expect(s.sync.getStats().trialsElsewhere).toBe(0);
  });

  it('stopped with the lease taken by another tab: false and nothing counted', async () => {
    const s = setup();
    await halfOpen(s);
    s.storage.setItem(LEASE, JSON.stringify({ tab: 'other', until: s.clock.now() + 60_000 }));
    s.sync.stop();
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    expect(s.sync.getStats().trialsElsewhere).toBe(0);
  });

  it('closed with the lease taken by another tab: false and nothing counted', async () => {
    const s = setup();
    s.storage.setItem(LEASE, JSON.stringify({ tab: 'other', until: s.clock.now() + 60_000 }));
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    expect(s.sync.getStats().trialsElsewhere).toBe(0);
  });

  it('another tab holds the trial: false, counted as elsewhere', async () => {
    const s = setup();
    await halfOpen(s);
    s.storage.setItem(LEASE, JSON.stringify({ tab: 'other', until: s.clock.now() + 60_000 }));
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    expect(s.sync.getStats()).toMatchObject({ trialsElsewhere: 1, trialsLed: 0 });
  });

  it('wins the trial once; asking again while holding it is true and counts nothing', async () => {
    const s = setup();
    await halfOpen(s);
    const first = s.sync.requestTrial();
    const second = s.sync.requestTrial();
    expect(second).toBe(first);
    // the lock is taken, but this tab does not hold the trial until the request settles
    expect(s.sync.holdsTrial()).toBe(false);
    await expect(first).resolves.toBe(true);
    expect(s.sync.holdsTrial()).toBe(true);
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    expect(s.sync.getStats()).toMatchObject({ trialsLed: 1, trialsElsewhere: 0 });
    expect(s.storage.getItem(LEASE)).not.toBeNull();
  });

  it('holdsTrial is false when the lock is another tab’s', async () => {
    const registry = new LockRegistry();
    const s = setup({ locks: registry.manager() });
    const other = registry.manager();
    await halfOpen(s);
    await other.request(channelName(NAME), { ifAvailable: true }, () => {
      expect(s.sync.holdsTrial()).toBe(false);
      return undefined;
    });
    expect(s.sync.holdsTrial()).toBe(false);
  });

  it('stop() while the request is pending: false, and the lease is let go', async () => {
    const s = setup();
    await halfOpen(s);
    const pending = s.sync.requestTrial();
    s.sync.stop();
    await expect(pending).resolves.toBe(false);
    expect(s.storage.getItem(LEASE)).toBeNull();
    expect(s.sync.getStats().trialsLed).toBe(0);
  });

  it('the circuit moves on while the request is pending: false, and the lease is let go', async () => {
    const s = setup();
    await halfOpen(s);
    const pending = s.sync.requestTrial();
    succeed(s);
    await expect(pending).resolves.toBe(false);
    expect(s.storage.getItem(LEASE)).toBeNull();
    expect(s.sync.getStats().trialsLed).toBe(0);
  });

  it('the circuit re-opens and half-opens again (a new epoch) while the request is pending: false', async () => {
    const s = setup();
    await halfOpen(s);
    const pending = s.sync.requestTrial();
    s.actor.send({ type: 'TRY_ACQUIRE' });
    fail(s); // the trial of another caller fails: open again (seq 2)
    s.channel.deliver(openRecord(3, { openedAt: s.clock.now() - 10 * OPEN_MS })); // an opening already over
    expect(state(s)).toBe('halfOpen');
    await expect(pending).resolves.toBe(false);
    expect(s.sync.getStats()).toMatchObject({ trialsLed: 0, adopted: 1, published: 2 });
  });

  it('a newer record from another tab found after taking the lock is adopted (as from a tab) and the lock let go', async () => {
    const s = setup();
    await halfOpen(s);
    s.storage.setItem(KEY, JSON.stringify(closedRecord(5)));
    const seen: unknown[] = [];
    s.actor.subscribe(() => seen.push(s.sync.adopting));
    await expect(s.sync.requestTrial()).resolves.toBe(false);
    expect(state(s)).toBe('closed');
    expect(seen).toEqual(['tab']);
    expect(s.storage.getItem(LEASE)).toBeNull();
    expect(s.sync.getStats()).toMatchObject({ adopted: 1, trialsLed: 0 });
  });

  it('a newer stored record with this tab’s own id is not taken as news', async () => {
    const s = setup();
    await halfOpen(s);
    s.storage.setItem(KEY, JSON.stringify(closedRecord(5, { tab: s.tab() })));
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    expect(state(s)).toBe('halfOpen');
    expect(s.sync.getStats()).toMatchObject({ adopted: 0, stale: 0, trialsLed: 1 });
  });

  it('an empty or unreadable stored record does not stop the trial', async () => {
    const s = setup();
    await halfOpen(s);
    s.storage.removeItem(KEY);
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    const t = setup();
    await halfOpen(t);
    t.storage.setItem(KEY, '{not json');
    await expect(t.sync.requestTrial()).resolves.toBe(true);
  });

  it('the trial is held across no-op events until it starts, and let go when it ends without a verdict', async () => {
    const s = setup();
    await halfOpen(s);
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    nudge(s);
    expect(s.sync.holdsTrial()).toBe(true);
    s.actor.send({ type: 'TRY_ACQUIRE' });
    nudge(s);
    expect(s.sync.holdsTrial()).toBe(true);
    s.actor.send({ type: 'IGNORED', epoch: s.actor.getSnapshot().context.epoch });
    expect(s.sync.holdsTrial()).toBe(false);
    expect(s.storage.getItem(LEASE)).toBeNull();
  });

  it('the lock is let go when the circuit leaves half-open', async () => {
    const s = setup();
    await halfOpen(s);
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    s.actor.send({ type: 'TRY_ACQUIRE' });
    fail(s);
    expect(state(s)).toBe('open');
    expect(s.storage.getItem(LEASE)).toBeNull();
  });

  it('releaseIdleTrial lets go only when no trial call runs', async () => {
    const s = setup();
    await halfOpen(s);
    s.sync.releaseIdleTrial(); // nothing held: nothing happens
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    s.actor.send({ type: 'TRY_ACQUIRE' });
    s.sync.releaseIdleTrial();
    expect(s.sync.holdsTrial()).toBe(true);
    expect(s.storage.getItem(LEASE)).not.toBeNull();
    s.actor.send({ type: 'IGNORED', epoch: s.actor.getSnapshot().context.epoch });
    const t = setup();
    await halfOpen(t);
    await expect(t.sync.requestTrial()).resolves.toBe(true);
    t.sync.releaseIdleTrial();
    expect(t.sync.holdsTrial()).toBe(false);
    expect(t.storage.getItem(LEASE)).toBeNull();
  });

  it('holdsTrial() never claims a trial whose lock is gone (an event seen while the lock request settles)', async () => {
    const s = setup();
    await halfOpen(s);
    const pending = s.sync.requestTrial();
    nudge(s);
    await pending;
    expect(s.sync.holdsTrial()).toBe(s.storage.getItem(LEASE) !== null);
  });

  it('a late result seen while the lock request settles does not drop the lock: the tab runs the trial it won', async () => {
    const s = setup();
    await halfOpen(s);
    const pending = s.sync.requestTrial();
    nudge(s);
    await expect(pending).resolves.toBe(true);
    expect(s.sync.holdsTrial()).toBe(true);
    expect(s.storage.getItem(LEASE)).not.toBeNull();
    expect(s.sync.getStats().trialsLed).toBe(1);
  });

  it('stop() lets the held trial go', async () => {
    const s = setup();
    await halfOpen(s);
    await expect(s.sync.requestTrial()).resolves.toBe(true);
    s.sync.stop();
    expect(s.storage.getItem(LEASE)).toBeNull();
    await flush();
  });
});
