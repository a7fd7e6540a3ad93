import { afterEach, describe, expect, it } from 'vitest';
import { fail, KEY, setup, STATS0, stopStarted } from './support/circuitSyncHarness.js';

afterEach(stopStarted);

describe('stop() ends the sync', () => {
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
