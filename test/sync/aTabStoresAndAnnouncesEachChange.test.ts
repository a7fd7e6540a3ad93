/**
 * A tab stores each change of its circuit and announces it to the other tabs, with a sequence number that only
 * grows, and counts what it could not store or send. CircuitSync is driven directly: a real circuit actor on a
 * simulated clock, a memory storage, and a channel that delivers only when the test hands a message to the listener.
 */

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/createExecutor.js';
import { createMemoryStorage } from '../../src/sync/createMemoryStorage.js';
import { persistCircuit } from '../../src/sync/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import {
  closedRecord,
  fail,
  FakeChannel,
  KEY,
  NAME,
  nudge,
  OPEN_MS,
  openRecord,
  setup,
  state,
  STATS0,
  stopStarted,
  stored,
} from './support/circuitSyncHarness.js';

afterEach(stopStarted);

describe('a tab stores and announces each change of its circuit', () => {
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
