/**
 * Across tabs one trial at a time: a tab asks for the trial lock only when half-open, runs the trial only while it
 * holds the lock, and lets it go as soon as the trial ends, the circuit moves on or the sync stops.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { channelName } from '../../src/sync/records.js';
import { flush } from '../support/clock.js';
import { LockRegistry } from './support/inProcessLocks.js';
import {
  closedRecord,
  counting,
  fail,
  halfOpen,
  KEY,
  LEASE,
  NAME,
  nudge,
  OPEN_MS,
  openRecord,
  setup,
  state,
  stopStarted,
  succeed,
} from './support/circuitSyncHarness.js';

afterEach(stopStarted);

describe('a tab runs a trial only while it holds the trial lock', () => {
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
