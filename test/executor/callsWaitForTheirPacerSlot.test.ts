/**
 * A call that waits for its pacer slot goes when the slot comes, and the slot may move while it waits: the executor
 * re-reads it whenever it wakes. The pacer here is a hand-written one (the `Pacer` interface is public), so the test
 * decides exactly when a slot moves; the real pacer's line is pinned in test/pacing/queuedSlotsMoveWithThePacer.
 */
import { describe, expect, it } from 'vitest';
import { createExecutor, type Pacer, type PacerSlot, type PacerState } from '../../src/index.js';
import { createTestClock, track } from '../support/clock.js';

type Clock = ReturnType<typeof createTestClock>;

/** A slot due at `dueAt` (clock time) that the test can move, recording how it ended. */
function movableSlot(clock: Clock, dueAt: number) {
  const slot = {
    dueAt,
    ended: [] as string[],
    onMove: null as (() => void) | null,
    dueInMs: () => Math.max(0, slot.dueAt - clock.now()),
    take: () => void slot.ended.push('taken'),
    cancel: () => void slot.ended.push('cancelled'),
    /** Moves the slot and tells the waiting call, as a pacer does when it learns something. */
    moveTo(at: number) {
      slot.dueAt = at;
      slot.onMove?.();
    },
  };
  return slot;
}

function pacerHanding(slots: PacerSlot[]): Pacer & { reserved: number } {
  const state: PacerState = { source: 'adaptive', ratePerSecond: 1, burst: 1, tokens: 0, blockedUntil: null, throttled: 0, inFlight: 0 };
  const pacer = {
    reserved: 0,
    queue: () => slots.shift() ?? null,
    reserve: () => {
      pacer.reserved++;
      return 0;
    },
    cancel: () => undefined,
    observeSuccess: () => undefined,
    observeFailure: () => undefined,
    observeRateLimited: () => undefined,
    getState: () => state,
  };
  return pacer;
}

describe('calls wait for their pacer slot', () => {
  it('goes as soon as its slot moves earlier, not at the time it was first given', async () => {
    const clock = createTestClock();
    const slot = movableSlot(clock, clock.now() + 10_000);
    const pacer = pacerHanding([slot]);
    const executor = createExecutor({ clock, pacer });
    let ranAt: number | null = null;
    const call = track(executor.execute(() => (ranAt = clock.now())));
    await clock.advance(1000);
    expect(ranAt).toBeNull();
    slot.moveTo(clock.now());
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true });
    expect(ranAt).toBe(clock.now());
    expect(slot.ended).toEqual(['taken']);
    // The executor prefers the line: reserve() was never called.
    expect(pacer.reserved).toBe(0);
  });

  it('waits on when its slot moved later while it slept', async () => {
    const clock = createTestClock();
    const start = clock.now();
    const slot = movableSlot(clock, start + 1000);
    const executor = createExecutor({ clock, pacer: pacerHanding([slot]) });
    let ranAt: number | null = null;
    void executor.execute(() => (ranAt = clock.now()));
    // The pacer slowed down: the slot is 3 s away now, and the call was not told (a later slot needs no wake-up).
    slot.dueAt = start + 3000;
    await clock.advance(1000);
    expect(ranAt).toBeNull();
    await clock.advance(2000);
    expect(ranAt).toBe(start + 3000);
    expect(slot.ended).toEqual(['taken']);
  });

  it('gives its slot back when aborted while waiting, once', async () => {
    const clock = createTestClock();
    const slot = movableSlot(clock, clock.now() + 5000);
    const executor = createExecutor({ clock, pacer: pacerHanding([slot]) });
    const controller = new AbortController();
    const call = track(executor.execute(() => 'ran', { signal: controller.signal }));
    await clock.advance(100);
    controller.abort(new Error('user left'));
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: expect.objectContaining({ message: 'user left' }) });
    expect(slot.ended).toEqual(['cancelled']);
  });

  it('fails at once, as retryAfterTooLong, when its slot moves past maxRetryAfterMs', async () => {
    const clock = createTestClock();
    const slot = movableSlot(clock, clock.now() + 1000);
    const executor = createExecutor({ clock, maxRetryAfterMs: 5000, pacer: pacerHanding([slot]) });
    const call = track(executor.execute(() => 'ran'));
    await clock.advance(10);
    slot.moveTo(clock.now() + 60_000);
    await clock.advance(0);
    expect(call).toMatchObject({ settled: true, error: expect.objectContaining({ code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED', retryAfterTooLong: true }) });
    expect(slot.ended).toEqual(['cancelled']);
  });

  it('a pacer with only reserve() still paces: its wait is a slot that does not move', async () => {
    const clock = createTestClock();
    const start = clock.now();
    let cancelled = 0;
    const pacer: Pacer = {
      reserve: () => 2000,
      cancel: () => void cancelled++,
      observeSuccess: () => undefined,
      observeFailure: () => undefined,
      observeRateLimited: () => undefined,
      getState: () => ({ source: 'adaptive', ratePerSecond: 0.5, burst: 1, tokens: -1, blockedUntil: null, throttled: 0, inFlight: 1 }),
    };
    const executor = createExecutor({ clock, pacer });
    let ranAt: number | null = null;
    void executor.execute(() => (ranAt = clock.now()));
    await clock.advance(1999);
    expect(ranAt).toBeNull();
    await clock.advance(1);
    expect(ranAt).toBe(start + 2000);
    expect(cancelled).toBe(0);
  });
});
