import { SimulatedClock } from 'xstate';
import type { Clock } from '../../../src/index.js';

/** Lets every pending promise callback run (a macrotask turn; no wall-clock wait). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A `SimulatedClock` that also records every delay asked of it and which timers are pending, so a test can jump
 * straight to the next due timer and assert that no delay was ever NaN, negative or infinite.
 */
export interface RecordingClock extends Clock {
  /** Every `ms` passed to `setTimeout`, in order. */
  readonly requested: readonly number[];
  /** Timers set and neither fired nor cleared. */
  pendingCount(): number;
  /** Due time of the earliest pending timer, or `null`. */
  nextDue(): number | null;
  /** Flushes promise callbacks, moves time forward by `ms` (firing due timers), and flushes again. */
  advance(ms: number): Promise<void>;
  /**
   * Jumps from one due timer to the next (flushing promise callbacks in between) until `predicate` holds or the next
   * timer is due after `limit` (a clock time). Returns whether the predicate held.
   */
  runUntil(predicate: () => boolean, limit: number): Promise<boolean>;
}

export function createRecordingClock(start = 1_700_000_000_000): RecordingClock {
  const simulated = new SimulatedClock();
  simulated.set(start);
  const pending = new Map<number, number>();
  const requested: number[] = [];

  const clock: RecordingClock = {
    requested,
    now: () => simulated.now(),
    setTimeout(fn, ms) {
      requested.push(ms);
      const id: number = simulated.setTimeout(() => {
        pending.delete(id);
        fn();
      }, ms);
      pending.set(id, simulated.now() + ms);
      return id;
    },
    clearTimeout(id) {
      pending.delete(id as number);
      simulated.clearTimeout(id as number);
    },
    pendingCount: () => pending.size,
    nextDue() {
      let earliest: number | null = null;
      for (const due of pending.values()) if (earliest === null || due < earliest) earliest = due;
      return earliest;
    },
    async advance(ms) {
      await flush();
      simulated.increment(ms);
      await flush();
    },
    async runUntil(predicate, limit) {
      for (let i = 0; i < 10_000; i++) {
        await flush();
        if (predicate()) return true;
        const due = clock.nextDue();
        if (due === null || !(due <= limit)) return false;
        simulated.set(Math.max(due, simulated.now()));
      }
      return predicate();
    },
  };
  return clock;
}
