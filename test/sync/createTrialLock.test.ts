import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createMemoryStorage } from '../../src/sync/createMemoryStorage.js';
import { createTrialLock } from '../../src/sync/createTrialLock.js';
import type { CircuitStorage, SyncLockManager } from '../../src/sync/types.js';
import { flush, track } from '../support/clock.js';
import { LockRegistry } from './support/inProcessLocks.js';

const KEY = 'lease-key';
const LEASE_MS = 3_000;
const T0 = 1_700_000_000_000;

function clockAt(time = T0): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(time);
  return clock;
}

function leaseLock(options: { storage: CircuitStorage; clock: SimulatedClock; tab?: string; leaseMs?: number }) {
  return createTrialLock({
    locks: null,
    name: 'n',
    storage: options.storage,
    leaseKey: KEY,
    tab: options.tab ?? 'me',
    leaseMs: options.leaseMs ?? LEASE_MS,
    clock: options.clock,
  });
}

const lease = (storage: CircuitStorage): unknown => JSON.parse(storage.getItem(KEY) ?? 'null');

describe('createTrialLock: storage lease (no Web Locks)', () => {
  it('is not held at first; taking a free lease writes { tab, until: now + leaseMs }', async () => {
    const storage = createMemoryStorage();
    const lock = leaseLock({ storage, clock: clockAt() });
    expect(lock.held).toBe(false);
    expect(storage.getItem(KEY)).toBeNull();
    await expect(lock.tryAcquire()).resolves.toBe(true);
    expect(lock.held).toBe(true);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + LEASE_MS });
  });

  it('another tab’s lease blocks until its `until`, then it is taken', async () => {
    const storage = createMemoryStorage();
    const clock = clockAt();
    storage.setItem(KEY, JSON.stringify({ tab: 'other', until: T0 + 500 }));
    const lock = leaseLock({ storage, clock });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
    clock.increment(499);
    await expect(lock.tryAcquire()).resolves.toBe(false);
    clock.increment(1);
    await expect(lock.tryAcquire()).resolves.toBe(true);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 500 + LEASE_MS });
  });

  it('its own unexpired lease (same tab id) is taken again', async () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify({ tab: 'me', until: T0 + 60_000 }));
    const lock = leaseLock({ storage, clock: clockAt() });
    await expect(lock.tryAcquire()).resolves.toBe(true);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + LEASE_MS });
  });

  it.each([
    ['not JSON', '{"tab":'],
    ['JSON null', 'null'],
    ['an until that is a string', JSON.stringify({ tab: 'other', until: String(T0 + 60_000) })],
    ['a tab that is a number', JSON.stringify({ tab: 5, until: T0 + 60_000 })],
    ['no tab', JSON.stringify({ until: T0 + 60_000 })],
    ['an infinite until (as 1e999)', '{"tab":"other","until":1e999}'],
  ])('a lease that cannot be read (%s) counts as none', async (_label, text) => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, text);
    const lock = leaseLock({ storage, clock: clockAt() });
    await expect(lock.tryAcquire()).resolves.toBe(true);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + LEASE_MS });
  });

  it('a storage whose getItem throws: the lease counts as none, but the read-back fails', async () => {
    const lock = leaseLock({
      storage: { getItem: () => { throw new Error('denied'); }, setItem: () => undefined, removeItem: () => undefined },
      clock: clockAt(),
    });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
  });

  it('a setItem that throws: false, even over its own old lease', async () => {
    const memory = createMemoryStorage();
    memory.setItem(KEY, JSON.stringify({ tab: 'me', until: T0 - 1 }));
    const storage: CircuitStorage = { ...memory, setItem: () => { throw new Error('quota'); } };
    const lock = leaseLock({ storage, clock: clockAt() });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
  });

  it('a write that does not land (nothing read back): false', async () => {
    const storage: CircuitStorage = { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    const lock = leaseLock({ storage, clock: clockAt() });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
  });

  it('another tab’s write landing last (read back as theirs): false', async () => {
    const memory = createMemoryStorage();
    const storage: CircuitStorage = {
      ...memory,
      setItem: (key) => memory.setItem(key, JSON.stringify({ tab: 'other', until: T0 + LEASE_MS })),
    };
    const lock = leaseLock({ storage, clock: clockAt() });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
  });

  it('while held, asking again is true without rewriting, even if another tab overwrote the lease', async () => {
    const storage = createMemoryStorage();
    const clock = clockAt();
    const lock = leaseLock({ storage, clock });
    await expect(lock.tryAcquire()).resolves.toBe(true);
    clock.increment(500);
    await expect(lock.tryAcquire()).resolves.toBe(true);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + LEASE_MS });
    storage.setItem(KEY, JSON.stringify({ tab: 'other', until: T0 + 60_000 }));
    await expect(lock.tryAcquire()).resolves.toBe(true);
  });

  it('renews every floor(leaseMs / 3) ms while held, and stops after release', async () => {
    const storage = createMemoryStorage();
    const clock = clockAt();
    const lock = leaseLock({ storage, clock, leaseMs: 3_001 });
    await lock.tryAcquire();
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 3_001 });
    clock.increment(999);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 3_001 });
    clock.increment(1);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 1_000 + 3_001 });
    clock.increment(999);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 1_000 + 3_001 });
    clock.increment(1);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 2_000 + 3_001 });
    lock.release();
    expect(storage.getItem(KEY)).toBeNull();
    clock.increment(10_000);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('release removes only its own lease', async () => {
    const storage = createMemoryStorage();
    const clock = clockAt();
    const lock = leaseLock({ storage, clock });
    await lock.tryAcquire();
    storage.setItem(KEY, JSON.stringify({ tab: 'other', until: T0 + 60_000 }));
    lock.release();
    expect(lock.held).toBe(false);
    expect(lease(storage)).toEqual({ tab: 'other', until: T0 + 60_000 });
  });

  it('release when not held does nothing, even to a lease with its tab id', () => {
    const storage = createMemoryStorage();
    storage.setItem(KEY, JSON.stringify({ tab: 'me', until: T0 + 60_000 }));
    const lock = leaseLock({ storage, clock: clockAt() });
    lock.release();
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + 60_000 });
  });

  it('release with a lease already gone, or a storage that throws, lets go without throwing', async () => {
    const memory = createMemoryStorage();
    let broken = false;
    const storage: CircuitStorage = {
      getItem: (key) => memory.getItem(key),
      setItem: (key, value) => memory.setItem(key, value),
      removeItem: (key) => {
        if (broken) throw new Error('denied');
        memory.removeItem(key);
      },
    };
    const clock = clockAt();
    const lock = leaseLock({ storage, clock });
    await lock.tryAcquire();
    broken = true;
    expect(() => lock.release()).not.toThrow();
    expect(lock.held).toBe(false);
    // the renewal is stopped: the lease left behind is not renewed
    clock.increment(LEASE_MS * 3);
    expect(lease(storage)).toEqual({ tab: 'me', until: T0 + LEASE_MS });
    await expect(lock.tryAcquire()).resolves.toBe(true);
    memory.removeItem(KEY);
    expect(() => lock.release()).not.toThrow();
  });
});

describe('createTrialLock: Web Locks', () => {
  const webLock = (locks: SyncLockManager) =>
    createTrialLock({ locks, name: 'trial', storage: createMemoryStorage(), leaseKey: KEY, tab: 'me', leaseMs: LEASE_MS, clock: clockAt() });

  it('held / release, and asking again while held is true', async () => {
    const registry = new LockRegistry();
    const mine = registry.manager();
    const lock = webLock(mine);
    expect(lock.held).toBe(false);
    await expect(lock.tryAcquire()).resolves.toBe(true);
    expect(lock.held).toBe(true);
    expect(mine.holds('trial')).toBe(true);
    await expect(lock.tryAcquire()).resolves.toBe(true);
    const other = webLock(registry.manager());
    await expect(other.tryAcquire()).resolves.toBe(false);
    expect(other.held).toBe(false);
    lock.release();
    expect(lock.held).toBe(false);
    await flush();
    expect(mine.holds('trial')).toBe(false);
    await expect(other.tryAcquire()).resolves.toBe(true);
    lock.release(); // not held: nothing happens
  });

  it.each([null, undefined])('a callback given %s (lock not available): false', async (given) => {
    const lock = webLock({ request: (_name, _options, callback) => Promise.resolve(callback(given)) });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
  });

  it('a request that throws synchronously: false', async () => {
    const lock = webLock({
      request: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    await expect(lock.tryAcquire()).resolves.toBe(false);
    expect(lock.held).toBe(false);
  });

  it('a request that rejects: false', async () => {
    const lock = webLock({ request: () => Promise.reject(new DOMException('denied', 'SecurityError')) });
    const result = track(lock.tryAcquire());
    await flush();
    expect(result).toEqual({ settled: true, value: false });
    expect(lock.held).toBe(false);
  });
});
