import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPacer, type Pacer, type PacerOptions } from '../../src/pacing/createPacer.js';
import type { SyncChannel } from '../../src/sync/types.js';
import type { Clock } from '../../src/types.js';
import { createTestClock } from '../support/clock.js';
import { sharePacerAcrossTabs } from '../../src/sync/index.js';

/**
 * Mutation tests for `shareAcrossTabs`. Every pacer talks over an in-memory channel: delivery is synchronous (to the
 * other channels of the same name, never back to the sender), and the channel records what was posted, which
 * listeners it holds and how often it was closed.
 */

type Listener = (event: { data: unknown }) => void;

class Hub {
  readonly channels: MemoryChannel[] = [];
  open(name: string): MemoryChannel {
    const channel = new MemoryChannel(name, this);
    this.channels.push(channel);
    return channel;
  }
}

class MemoryChannel implements SyncChannel {
  readonly posted: unknown[] = [];
  readonly listeners = new Set<Listener>();
  /** Listeners added for another type than 'message' (none should be). */
  readonly otherListeners = new Set<Listener>();
  closed = 0;
  constructor(
    readonly name: string,
    readonly hub: Hub,
  ) {}
  postMessage(message: unknown): void {
    this.posted.push(message);
    for (const other of this.hub.channels) {
      if (other !== this && other.name === this.name) other.deliver(structuredClone(message));
    }
  }
  deliver(data: unknown): void {
    for (const listener of [...this.listeners]) listener({ data });
  }
  addEventListener(type: 'message', listener: Listener): void {
    (type === 'message' ? this.listeners : this.otherListeners).add(listener);
  }
  removeEventListener(type: 'message', listener: Listener): void {
    if (type === 'message') this.listeners.delete(listener);
  }
  close(): void {
    this.closed++;
  }
}

const pacers: Pacer[] = [];
afterEach(() => {
  for (const pacer of pacers.splice(0)) pacer.stop?.();
  vi.unstubAllGlobals();
});

function shared(hub: Hub, options: PacerOptions = {}, name = 'api'): { pacer: Pacer; channel: MemoryChannel } {
  let channel: MemoryChannel | undefined;
  const pacer = createPacer({
    clock: createTestClock(),
    ...options,
    shareAcrossTabs: sharePacerAcrossTabs({ name, createChannel: (n) => (channel = hub.open(n)) }),
  });
  pacers.push(pacer);
  return { pacer, channel: channel! };
}

const limits = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  v: 1,
  kind: 'pacer-limits',
  tab: 'other-tab',
  source: 'adaptive',
  ratePerSecond: 5,
  burst: 1,
  blockedUntil: null,
  ...over,
});

/** A pacer that reads `limit` per `windowSeconds` from the headers of one success. */
const policy = (limit: number, windowSeconds: number, remaining = limit - 1): Headers =>
  new Headers({
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(remaining),
    'RateLimit-Reset': String(windowSeconds),
    'RateLimit-Policy': `${limit};w=${windowSeconds}`,
  });
/** Headers without a window: the rate is what is left spread until the reset. */
const spread = (remaining: number, resetSeconds: number): Headers =>
  new Headers({ 'RateLimit-Remaining': String(remaining), 'RateLimit-Reset': String(resetSeconds) });

function learn(pacer: Pacer, headers: Headers): void {
  pacer.reserve();
  pacer.observeSuccess(headers);
}

describe('createPacer({ shareAcrossTabs }): option checks', () => {
  it('sharePacerAcrossTabs rejects null with the "must be an object" message', () => {
    expect(() => sharePacerAcrossTabs(null as never)).toThrow(/"shareAcrossTabs" must be an object/);
  });

  it('createPacer takes only a sharePacerAcrossTabs() link, and says where it is', () => {
    expect(() => createPacer({ shareAcrossTabs: { name: 'api' } as never })).toThrow(
      `pacer option "shareAcrossTabs" must be sharePacerAcrossTabs({ name }) from 'xstate-circuit-breaker/persist', got an object.`,
    );
  });

  it('takes a name of 200 characters and rejects one of 201', () => {
    const hub = new Hub();
    expect(() => shared(hub, {}, 'n'.repeat(200))).not.toThrow();
    expect(() => createPacer({ shareAcrossTabs: sharePacerAcrossTabs({ name: 'n'.repeat(201), createChannel: (n) => hub.open(n) }) })).toThrow(
      /"shareAcrossTabs.name" must be a string of 1 to 200 characters/,
    );
  });

  it('uses the createChannel it is given, named after the pacer, and listens on it', () => {
    const hub = new Hub();
    const { channel } = shared(hub, {}, 'contacts');
    expect(channel.name).toBe('xstate-circuit-breaker:pacer:contacts');
    expect(channel.listeners.size).toBe(1);
  });

  it('works with a channel that has no unref()', () => {
    const hub = new Hub();
    expect(() => shared(hub)).not.toThrow();
  });

  it('without createChannel on a platform without BroadcastChannel, says that createChannel is needed', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(() => createPacer({ shareAcrossTabs: sharePacerAcrossTabs({ name: 'api' }) })).toThrow(
      'xstate-circuit-breaker: pacer option "shareAcrossTabs.createChannel" is needed here: this platform has no BroadcastChannel.',
    );
  });

  it('without createChannel, opens a BroadcastChannel of the pacer name', () => {
    const opened: string[] = [];
    class FakeBroadcastChannel extends MemoryChannel {
      constructor(name: string) {
        super(name, new Hub());
        opened.push(name);
      }
    }
    vi.stubGlobal('BroadcastChannel', FakeBroadcastChannel);
    const pacer = createPacer({ shareAcrossTabs: sharePacerAcrossTabs({ name: 'deals' }) });
    pacers.push(pacer);
    expect(opened).toEqual(['xstate-circuit-breaker:pacer:deals']);
  });
});

describe('createPacer({ shareAcrossTabs }): what a pacer adopts', () => {
  it('an adaptive pacer keeps its own rate when another tab announces a higher one, and counts nothing', () => {
    const hub = new Hub();
    const { pacer } = shared(hub, { initialRatePerSecond: 3 });
    hub.open('xstate-circuit-breaker:pacer:api').postMessage(limits({ ratePerSecond: 50 }));
    expect(pacer.getState().ratePerSecond).toBe(3);
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 0 });
  });

  it('an adaptive pacer does not count an announcement of its own rate (and no hold) as adopted', () => {
    const hub = new Hub();
    const { pacer } = shared(hub, { initialRatePerSecond: 5, adaptiveBurst: 2 });
    hub.open('xstate-circuit-breaker:pacer:api').postMessage(limits({ ratePerSecond: 5, burst: 7 }));
    expect(pacer.getState()).toMatchObject({ ratePerSecond: 5, burst: 2, blockedUntil: null });
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 0 });
  });

  it('a hold that has already ended, or ends now, is not adopted', () => {
    const hub = new Hub();
    const clock = createTestClock();
    const { pacer } = shared(hub, { clock, initialRatePerSecond: 5 });
    const other = hub.open('xstate-circuit-breaker:pacer:api');
    other.postMessage(limits({ ratePerSecond: 50, blockedUntil: clock.now() - 1 }));
    other.postMessage(limits({ ratePerSecond: 50, blockedUntil: clock.now() }));
    expect(pacer.getState().blockedUntil).toBeNull();
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 0 });
  });

  it('a hold alone is adopted and counted, a later one extends it, an earlier or equal one changes nothing', () => {
    const hub = new Hub();
    const clock = createTestClock();
    const { pacer } = shared(hub, { clock });
    learn(pacer, policy(20, 1)); // a pacer that reads headers takes no rate from others
    const other = hub.open('xstate-circuit-breaker:pacer:api');
    const now = clock.now();
    other.postMessage(limits({ blockedUntil: now + 5_000 }));
    expect(pacer.getState().blockedUntil).toBe(now + 5_000);
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 1 });
    other.postMessage(limits({ blockedUntil: now + 10_000 }));
    expect(pacer.getState().blockedUntil).toBe(now + 10_000);
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 2 });
    other.postMessage(limits({ blockedUntil: now + 10_000 }));
    other.postMessage(limits({ blockedUntil: now + 7_000 }));
    expect(pacer.getState().blockedUntil).toBe(now + 10_000);
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 2 });
    expect(pacer.getState().ratePerSecond).toBeCloseTo(19.6);
  });

  it('a hold is capped at maxWaitMs from now', () => {
    const hub = new Hub();
    const clock = createTestClock();
    const { pacer } = shared(hub, { clock, maxWaitMs: 1_000 });
    hub.open('xstate-circuit-breaker:pacer:api').postMessage(limits({ blockedUntil: clock.now() + 60_000 }));
    expect(pacer.getState().blockedUntil).toBe(clock.now() + 1_000);
  });

  it('on a clock that reads negative times, a hold ending at time 0 is still adopted', () => {
    let now = -1_000;
    const clock: Clock = { now: () => now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as never) };
    const hub = new Hub();
    const { pacer } = shared(hub, { clock, initialRatePerSecond: 5 });
    const other = hub.open('xstate-circuit-breaker:pacer:api');
    other.postMessage(limits({ blockedUntil: null })); // no hold: nothing to adopt, even though null reads as 0 > -1000
    expect(pacer.getState().blockedUntil).toBeNull();
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 0 });
    other.postMessage(limits({ blockedUntil: 0 }));
    expect(pacer.getState().blockedUntil).toBe(0);
    expect(pacer.getSharingStats?.()).toMatchObject({ adopted: 1 });
    now = 0;
  });

  it("a pacer ignores an announcement that carries its own tab id", () => {
    const hub = new Hub();
    const { pacer, channel } = shared(hub, { initialRatePerSecond: 50 });
    const { pacer: reader } = shared(hub);
    learn(reader, policy(20, 1)); // makes `pacer` adopt 19.6/s, and tells us reader's tab id
    const readerTab = (hub.channels[1]!.posted[0] as { tab: string }).tab;
    expect(pacer.getState().ratePerSecond).toBeCloseTo(19.6);
    // A message claiming to come from `reader` itself reaches `reader`: it must be ignored.
    channel.postMessage(limits({ tab: readerTab, source: 'headers', ratePerSecond: 1, burst: 1, blockedUntil: Date.now() + 1e9 }));
    expect(reader.getState().ratePerSecond).toBeCloseTo(19.6);
    expect(reader.getState().blockedUntil).toBeNull();
    expect(reader.getSharingStats?.()).toMatchObject({ adopted: 0 });
  });
});

describe('createPacer({ shareAcrossTabs }): what a pacer announces', () => {
  function announcer(options: PacerOptions = {}): { pacer: Pacer; posted: () => Array<Record<string, unknown>> } {
    const hub = new Hub();
    const { pacer, channel } = shared(hub, options);
    return { pacer, posted: () => channel.posted as Array<Record<string, unknown>> };
  }

  it('a new burst is announced even when the rate moved by less than a tenth', () => {
    const { pacer, posted } = announcer();
    learn(pacer, policy(20, 1)); // 19.6/s, burst 19
    learn(pacer, policy(19, 1)); // 18.62/s, burst 18
    expect(posted().map((m) => m.burst)).toEqual([19, 18]);
  });

  it('a rate that halves is announced even with the same burst', () => {
    const { pacer, posted } = announcer();
    learn(pacer, policy(20, 1)); // 19.6/s, burst 19
    learn(pacer, policy(20, 2)); // 9.8/s, burst 19
    expect(posted().map((m) => m.ratePerSecond)).toEqual([19.6, 9.8]);
  });

  it('a rate that moved by exactly a tenth is not announced again', () => {
    const { pacer, posted } = announcer({ headroom: 1 });
    learn(pacer, spread(10, 1)); // 10/s, burst 1
    learn(pacer, spread(11, 1)); // 11/s, burst 1
    expect(posted().map((m) => m.ratePerSecond)).toEqual([10]);
    expect(pacer.getSharingStats?.()).toMatchObject({ published: 1 });
  });

  it('a change of source alone is announced', () => {
    const clock = createTestClock();
    const { pacer, posted } = announcer({ clock, headroom: 1 });
    pacer.reserve();
    pacer.observeRateLimited(null); // the first 429: nothing measured yet
    for (let i = 0; i < 10; i++) {
      clock.increment(10);
      pacer.reserve();
      pacer.observeSuccess(null);
    }
    pacer.reserve();
    pacer.observeRateLimited(null); // 10 accepted in 100 ms: 100/s, × 0.9
    expect(posted()).toHaveLength(1);
    expect(posted()[0]).toMatchObject({ source: 'adaptive', burst: 1 });
    const adaptive = posted()[0]!.ratePerSecond as number;
    expect(adaptive).toBeCloseTo(90);
    learn(pacer, spread(94, 1)); // a ceiling of 94/s from headers, the rate stays 90, burst 1: only the source changed
    expect(posted().map((m) => m.source)).toEqual(['adaptive', 'headers']);
  });

  it('a hold is announced; the same or an earlier hold is not, a later one is', () => {
    const clock = createTestClock();
    const { pacer, posted } = announcer({ clock });
    const quotaGone = (): void => {
      pacer.reserve();
      pacer.observeRateLimited(spread(0, 10), 10_000);
    };
    learn(pacer, spread(1, 10)); // 0.098/s → minRate 0.5/s, burst 1, no hold
    expect(posted()).toHaveLength(1);
    expect(posted()[0]!.blockedUntil).toBeNull();
    quotaGone(); // same rate and burst, but a hold now
    expect(posted()).toHaveLength(2);
    expect(posted()[1]!.blockedUntil).toBe(clock.now() + 10_000);
    quotaGone(); // the very same hold
    expect(posted()).toHaveLength(2);
    pacer.reserve();
    pacer.observeRateLimited(spread(0, 10), 5_000); // an earlier hold
    expect(posted()).toHaveLength(2);
    clock.increment(1_000);
    quotaGone(); // a hold that ends later
    expect(posted()).toHaveLength(3);
    expect(posted()[2]!.blockedUntil).toBe(clock.now() + 10_000);
  });

  it('on a clock that reads negative times, a first hold ending before time 0 is announced', () => {
    let now = -60_000;
    const clock: Clock = { now: () => now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (t) => clearTimeout(t as never) };
    const { pacer, posted } = announcer({ clock });
    learn(pacer, spread(1, 10));
    pacer.reserve();
    pacer.observeRateLimited(spread(0, 10), 10_000);
    expect(posted().map((m) => m.blockedUntil)).toEqual([null, -50_000]);
    now = 0;
  });
});

describe('createPacer({ shareAcrossTabs }): stop()', () => {
  it('closes the channel once, removes its listener, and announces nothing afterwards', () => {
    const hub = new Hub();
    const { pacer, channel } = shared(hub);
    pacer.stop?.();
    pacer.stop?.();
    expect(channel.closed).toBe(1);
    expect(channel.listeners.size).toBe(0);
    learn(pacer, policy(20, 1));
    expect(channel.posted).toEqual([]);
    expect(pacer.getSharingStats?.()).toMatchObject({ published: 0 });
  });
});
