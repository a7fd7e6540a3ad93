import { expect, vi } from 'vitest';
import { createActor } from 'xstate';
import { circuitBreakerMachine } from '../../../machines/circuitBreaker.machine.js';
import { CircuitSync } from '../../../src/sync/CircuitSync.js';
import { createMemoryStorage } from '../../../src/sync/createMemoryStorage.js';
import { leaseKey, recordKey } from '../../../src/sync/records.js';
import type { CircuitStorage, SyncChannel, SyncLockManager } from '../../../src/sync/types.js';
import { createTestClock } from '../../support/clock.js';

/**
 * Set-up shared by CircuitSync's feature tests (test/sync/aTab*.test.ts, test/sync/stopEndsTheSync.test.ts).
 *
 * Exact behaviour of CircuitSync, driven directly: a real circuit actor on a simulated clock, a memory storage, and a
 * channel that delivers only when the test hands a message to the listener.
 */

export const NAME = 'synced';
export const KEY = recordKey(NAME);
export const LEASE = leaseKey(NAME);
export const OPEN_MS = 1_000;

type Listener = (event: { data: unknown }) => void;

/** A channel that records what it was asked to do; the test calls `deliver` to play a message from another tab. */
export class FakeChannel implements SyncChannel {
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
export function counting(manager: SyncLockManager): SyncLockManager & { requests: number } {
  const wrapped = {
    requests: 0,
    request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => unknown): Promise<unknown> {
      wrapped.requests++;
      return manager.request(name, options, callback);
    },
  };
  return wrapped;
}

export interface Setup {
  clock: ReturnType<typeof createTestClock>;
  storage: CircuitStorage;
  actor: ReturnType<typeof createActor<typeof circuitBreakerMachine>>;
  sync: CircuitSync;
  channel: FakeChannel;
  tab(): string;
}

const started: Setup[] = [];

/** Stops every CircuitSync and actor `setup()` made, and restores mocks: each test file passes it to `afterEach`. */
export function stopStarted(): void {
  for (const s of started.splice(0)) {
    s.sync.stop();
    s.actor.stop();
  }
  vi.restoreAllMocks();
}

export function setup(
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

export const stored = (storage: CircuitStorage): unknown => JSON.parse(storage.getItem(KEY)!);
export const fail = (s: Setup, at = s.clock.now()): void =>
  s.actor.send({ type: 'FAILURE', at, epoch: s.actor.getSnapshot().context.epoch, retryAfterMs: null });
export const succeed = (s: Setup): void => s.actor.send({ type: 'SUCCESS', at: s.clock.now(), epoch: s.actor.getSnapshot().context.epoch });
/** An event the circuit ignores: observers still get a (same) snapshot. */
export const nudge = (s: Setup): void => s.actor.send({ type: 'IGNORED', epoch: -1 });
export const state = (s: Setup): string => s.actor.getSnapshot().value;

export async function halfOpen(s: Setup): Promise<void> {
  fail(s);
  await s.clock.advance(OPEN_MS);
  expect(state(s)).toBe('halfOpen');
}

export const openRecord = (seq: number, extra: Record<string, unknown> = {}) => ({
  v: 1,
  seq,
  tab: 'other',
  state: 'open',
  openedAt: 1_700_000_000_000,
  openDurationMs: OPEN_MS,
  reopenCount: 0,
  ...extra,
});
export const closedRecord = (seq: number, extra: Record<string, unknown> = {}) => ({ v: 1, seq, tab: 'other', state: 'closed', closedAt: 1, ...extra });

export const STATS0 = { published: 0, adopted: 0, stale: 0, malformed: 0, unsupported: 0, storageErrors: 0, trialsLed: 0, trialsElsewhere: 0 };
