/**
 * What a tab takes from storage and from the other tabs: only a record newer than its own, clamped to what its
 * options allow; older, own, malformed and foreign-version records are counted and ignored.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/createExecutor.js';
import { createMemoryStorage } from '../../src/sync/createMemoryStorage.js';
import { persistCircuit } from '../../src/sync/index.js';
import { createTestClock } from '../support/clock.js';
import { closedRecord, fail, KEY, NAME, openRecord, setup, state, STATS0, stopStarted } from './support/circuitSyncHarness.js';

afterEach(stopStarted);

describe('a tab adopts only newer records', () => {
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
