/**
 * A row's retry waits for a free slot of the run (its concurrency) and goes before rows not yet started; the wait
 * for a slot is not part of the attempt, and ending the run while a retry waits leaves nothing behind.
 */

import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createExecutor, createPacer, runBulk } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing } from '../support/bulkHelpers.js';

/**
 * Runs rows whose first attempt is refused with a 429 (`failOnce`) and rows that hold their slot until `releaseAll`
 * (every other attempt too), and records how many attempts run at once.
 */
function slotProbe(failOnce: readonly string[]): {
  task: (item: string, index: number, context: { attempt: number; signal: AbortSignal }) => Promise<string>;
  calls: string[];
  signals: AbortSignal[];
  max(): number;
  releaseAll(): void;
} {
  let running = 0;
  let max = 0;
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const waiting: Array<() => void> = [];
  return {
    calls,
    signals,
    max: () => max,
    releaseAll: () => {
      for (const release of waiting.splice(0)) release();
    },
    task: async (item, _index, { attempt, signal }) => {
      calls.push(`${item}:${attempt}`);
      signals.push(signal);
      running++;
      max = Math.max(max, running);
      try {
        if (attempt === 1 && failOnce.includes(item)) throw httpError(429);
        await new Promise<void>((resolve) => waiting.push(resolve));
        return item;
      } finally {
        running--;
      }
    },
  };
}

describe('a retry waits for a free slot of the run', () => {
  it('a retry waits for a free slot: with concurrency 1, never two attempts at once, and waiting retries go first one by one', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const probe = slotProbe(['a', 'b']);
    const run = track(runBulk(['a', 'b', 'c'], probe.task, { executor, concurrency: 1 }));
    await clock.advance(0); // a and b fail once and wait; c holds the slot
    await clock.advance(100); // both retries want the slot c holds
    expect(probe.calls).toEqual(['a:1', 'b:1', 'c:1']);
    for (let i = 0; i < 3; i++) {
      probe.releaseAll();
      await clock.advance(0);
    }
    expect(run.value).toMatchObject({ succeeded: 3, retries: 2 });
    expect(probe.calls).toEqual(['a:1', 'b:1', 'c:1', 'a:2', 'b:2']);
    expect(probe.max()).toBe(1);
  });

  it('a retry that finds a free slot takes it: with concurrency 2, never three attempts at once', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const probe = slotProbe(['a', 'b']);
    const run = track(runBulk(['a', 'b', 'c'], probe.task, { executor, concurrency: 2 }));
    await clock.advance(0); // a and b fail once; c holds one slot
    await clock.advance(100); // a's retry takes the free slot, b's waits
    expect(probe.calls).toEqual(['a:1', 'b:1', 'c:1', 'a:2']);
    for (let i = 0; i < 3; i++) {
      probe.releaseAll();
      await clock.advance(0);
    }
    expect(run.value).toMatchObject({ succeeded: 3, retries: 2 });
    expect(probe.max()).toBe(2);
  });

  it('the run leaves no listener on the signal its rows got, once retries waited for a slot', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const probe = slotProbe(['a', 'b']);
    const run = track(runBulk(['a', 'b', 'c'], probe.task, { executor, concurrency: 1 }));
    await clock.advance(0);
    await clock.advance(100);
    for (let i = 0; i < 3; i++) {
      probe.releaseAll();
      await clock.advance(0);
    }
    expect(run.value).toMatchObject({ succeeded: 3 });
    expect(getEventListeners(probe.signals[0]!, 'abort')).toHaveLength(0);
  });

  it('aborting the run while a retry waits for a slot ends it as aborted: its task is not called again and no listener is left', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const probe = slotProbe(['a']);
    const controller = new AbortController();
    const run = track(runBulk(['a', 'c'], probe.task, { executor, concurrency: 1, signal: controller.signal }));
    await clock.advance(0); // a waits for its retry, c holds the slot
    await clock.advance(100); // a's retry waits for the slot
    controller.abort('stop');
    await clock.advance(0);
    probe.releaseAll();
    await clock.advance(0);
    expect(run.value).toMatchObject({ wasAborted: true, failed: 2 });
    expect(run.value!.results.map((r) => (r.status === 'failed' ? r.reason : r.status))).toEqual(['aborted', 'aborted']);
    await clock.advance(1000);
    expect(probe.calls).toEqual(['a:1', 'c:1']);
    expect(getEventListeners(probe.signals[0]!, 'abort')).toHaveLength(0);
  });
});

describe('a retry waiting for a slot is not yet an attempt', () => {
  it('the time a retry waits for a slot does not count against attemptTimeoutMs: the attempt runs once it has the slot', async () => {
    const clock = createTestClock();
    // A pacer that holds only c's first attempt back (300 ms): c keeps the only slot meanwhile, with no timeout running.
    const waits = [0, 300];
    const pacer = {
      reserve: () => waits.shift() ?? 0,
      cancel: () => {},
      observeSuccess: () => {},
      observeFailure: () => {},
      observeRateLimited: () => {},
      getState: () => createPacer().getState(),
    };
    const executor = createExecutor({ clock, pacer, retryBudget: false, initialDelayMs: 100, jitter: 'none', attemptTimeoutMs: 50 });
    const calls: string[] = [];
    const run = track(
      runBulk(['a', 'c'], async (item, _index, { attempt }) => {
        calls.push(`${item}:${attempt}`);
        if (item === 'a' && attempt === 1) throw httpError(429);
        return item;
      }, { executor, concurrency: 1, idempotent: true }),
    );
    await clock.advance(0); // a:1 fails and backs off; c takes the slot and waits 300 ms for the pacer
    await clock.advance(100); // a:2 is due and waits for c's slot, with no attempt timer running
    await clock.advance(50); // past a's attemptTimeoutMs: nothing times out, a was not sent
    expect(calls).toEqual(['a:1']);
    await clock.advance(150); // c runs and ends: a takes the slot and its second attempt runs
    await clock.advance(0);
    expect(calls).toEqual(['a:1', 'c:1', 'a:2']);
    expect(run.value).toMatchObject({ succeeded: 2 });
    expect(executor.getStats().failed).toBe(0);
  });

  it('an executor stopped while a retry waits for a slot leaves no listener on the signal the rows got', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing, initialDelayMs: 100, jitter: 'none' });
    const probe = slotProbe(['a']);
    const run = track(runBulk(['a', 'c'], probe.task, { executor, concurrency: 1 }));
    await clock.advance(0);
    await clock.advance(100); // a's retry waits for c's slot
    executor.stop();
    await clock.advance(0);
    expect(run.settled).toBe(true);
    expect(getEventListeners(probe.signals[0]!, 'abort')).toHaveLength(0);
    probe.releaseAll();
    await clock.advance(1_000);
    expect(probe.calls).toEqual(['a:1', 'c:1']);
  });
});
