import type { Clock } from '../../../src/types.js';

/** A clock whose time moves only when the test says so, and which can tell what it is waiting for. */
export interface ManualClock extends Clock {
  /** Timers set and not yet fired or cleared. */
  pending(): number;
  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** Moves time to the earliest pending timer and fires it (and any due at the same time); false when none is pending. */
  advanceToNext(): boolean;
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * Creates a {@link ManualClock} starting at `start` (epoch ms). The executor's and XState's timers run on it, so
 * back-off and Retry-After waits pass in no wall-clock time.
 */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  let nextId = 1;
  let seq = 0;
  const timers = new Map<number, Timer>();

  const earliest = (): [number, Timer] | undefined => {
    let found: [number, Timer] | undefined;
    for (const entry of timers) {
      if (found === undefined || entry[1].due < found[1].due || (entry[1].due === found[1].due && entry[1].seq < found[1].seq)) {
        found = entry;
      }
    }
    return found;
  };

  const runUntil = (time: number): void => {
    for (;;) {
      const next = earliest();
      if (next === undefined || next[1].due > time) break;
      timers.delete(next[0]);
      now = Math.max(now, next[1].due);
      next[1].fn();
    }
    now = Math.max(now, time);
  };

  return {
    now: () => now,
    setTimeout(fn: (...args: unknown[]) => void, ms: number) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, ms), seq: seq++, fn: () => fn() });
      return id;
    },
    clearTimeout(id: unknown) {
      timers.delete(id as number);
    },
    pending: () => timers.size,
    advance(ms) {
      runUntil(now + ms);
    },
    advanceToNext() {
      const next = earliest();
      if (next === undefined) return false;
      runUntil(next[1].due);
      return true;
    },
  };
}
