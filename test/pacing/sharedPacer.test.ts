import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPacer, type Pacer } from '../../src/index.js';
import { createTestClock, flush } from '../support/clock.js';
import { sharePacerAcrossTabs } from '../../src/sync/index.js';

/**
 * Pacers of the same name in two "tabs", over Node's real BroadcastChannel (delivery is asynchronous: the tests wait
 * for it, and assert nothing about how long it takes). Time is a SimulatedClock.
 */

let names = 0;
const pacers: Pacer[] = [];
afterEach(() => {
  for (const pacer of pacers.splice(0)) pacer.stop?.();
});

function tabs(clock = createTestClock()): { clock: ReturnType<typeof createTestClock>; one: Pacer; two: Pacer; name: string } {
  const name = `pacer-${process.pid}-${++names}`;
  const one = createPacer({ clock, shareAcrossTabs: sharePacerAcrossTabs({ name }) });
  const two = createPacer({ clock, shareAcrossTabs: sharePacerAcrossTabs({ name }) });
  pacers.push(one, two);
  return { clock, one, two, name };
}

const arrives = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 2_000, interval: 5 });
const policy = (remaining: number): Headers =>
  new Headers({ 'RateLimit-Limit': '20', 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': '1', 'RateLimit-Policy': '20;w=1' });

describe('createPacer({ shareAcrossTabs })', () => {
  it('a tab that has learnt nothing starts at the rate another tab read from the headers', async () => {
    const { one, two } = tabs();
    expect(two.getState().source).toBe('unknown');
    one.reserve();
    // (19 left of 20 after its one request: nobody else drew, so it paces at the stated rate.)
    one.observeSuccess(policy(19));
    await arrives(() => expect(two.getState()).toMatchObject({ source: 'headers', ratePerSecond: 20 * 0.98, burst: 19 }));
    expect(two.getSharingStats?.()).toMatchObject({ adopted: 1, malformed: 0 });
    expect(one.getSharingStats?.()).toMatchObject({ published: 1, adopted: 0 });
  });

  it('the same limits read again are not announced again', async () => {
    const { one, two } = tabs();
    for (let remaining = 19; remaining > 10; remaining--) {
      one.reserve();
      one.observeSuccess(policy(remaining));
    }
    await arrives(() => expect(two.getSharingStats?.()?.adopted).toBe(1));
    expect(one.getSharingStats?.()?.published).toBe(1);
  });

  it('when one tab hears the quota is used up, the other holds its requests until the reset too', async () => {
    const { clock, one, two } = tabs();
    two.reserve();
    two.observeSuccess(new Headers({ 'RateLimit-Limit': '5000', 'RateLimit-Remaining': '4000', 'RateLimit-Reset': '3600' }));
    expect(two.getState().blockedUntil).toBeNull();
    one.reserve();
    one.observeRateLimited(
      new Headers({ 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Math.floor(clock.now() / 1000) + 30) }),
      30_000,
    );
    const until = one.getState().blockedUntil!;
    expect(until).toBeGreaterThan(clock.now());
    await arrives(() => expect(two.getState().blockedUntil).toBe(until));
    expect(two.reserve()).toBe(until - clock.now());
  });

  it('an adaptive tab takes a lower rate another tab measured, but a tab that reads headers keeps its own', async () => {
    const { one, two, name } = tabs();
    two.reserve();
    two.observeSuccess(policy(19)); // two reads headers: 19.6/s, and one takes it
    await arrives(() => expect(one.getState()).toMatchObject({ source: 'headers', ratePerSecond: 19.6 }));
    // A tab opened later, pacing adaptively at 50/s (it heard nothing of the headers).
    const third = createPacer({ clock: createTestClock(), shareAcrossTabs: sharePacerAcrossTabs({ name }), initialRatePerSecond: 50 });
    pacers.push(third);
    const intruder = new BroadcastChannel(`xstate-circuit-breaker:pacer:${name}`);
    try {
      intruder.postMessage({ v: 1, kind: 'pacer-limits', tab: 'x', source: 'adaptive', ratePerSecond: 3, burst: 1, blockedUntil: null });
      await arrives(() => expect(third.getState().ratePerSecond).toBe(3));
      await flush();
      expect(two.getState().ratePerSecond).toBeCloseTo(19.6);
      expect(one.getState().ratePerSecond).toBeCloseTo(19.6);
    } finally {
      intruder.close();
    }
  });

  it('malformed and foreign-version messages are ignored and counted; stop() closes the channel', async () => {
    const { one, two, name } = tabs();
    const intruder = new BroadcastChannel(`xstate-circuit-breaker:pacer:${name}`);
    try {
      intruder.postMessage('slow down');
      intruder.postMessage({ v: 1, kind: 'pacer-limits', tab: 'x', source: 'adaptive', ratePerSecond: -1, burst: 1, blockedUntil: null });
      intruder.postMessage({ v: 1, kind: 'pacer-limits', tab: 'x', source: 'adaptive', ratePerSecond: 5, burst: 1, blockedUntil: 'soon' });
      intruder.postMessage({ v: 1, kind: 'pacer-limits', tab: 'x', source: 'guess', ratePerSecond: 5, burst: 1, blockedUntil: null });
      intruder.postMessage({ v: 3, kind: 'pacer-limits', tab: 'x', source: 'adaptive', ratePerSecond: 5, burst: 1, blockedUntil: null });
      await arrives(() => expect(one.getSharingStats?.()).toMatchObject({ malformed: 4, unsupported: 1, adopted: 0 }));
      expect(one.getState().source).toBe('unknown');

      two.stop?.();
      one.reserve();
      one.observeSuccess(policy(10));
      await flush();
      await flush();
      expect(two.getState().source).toBe('unknown');
      expect(two.getSharingStats?.()?.adopted).toBe(0);
    } finally {
      intruder.close();
    }
  });

  it('a pacer without sharing has no sharing stats and a harmless stop()', () => {
    const pacer = createPacer();
    expect(pacer.getSharingStats?.()).toBeNull();
    expect(() => pacer.stop?.()).not.toThrow();
  });
});
