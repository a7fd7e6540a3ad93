/**
 * Rows and the circuit: an open circuit refuses rows untried, a half-open one lets rows start only while it has
 * trial slots, and rows held back by another caller's trial start once that trial closes the circuit.
 */

import { describe, expect, it, vi } from 'vitest';
import { createExecutor, runBulk } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { noPacing } from '../support/bulkHelpers.js';

describe('rows follow the circuit', () => {
  it('rows sent to an open circuit are refused at once, untried', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    const hold = executor.isolate();
    const task = vi.fn(async () => 1);
    const report = await runBulk([1, 2, 3], task, { executor, concurrency: 2, onCircuitOpen: 'fail' });
    hold.dispose();
    expect(task).not.toHaveBeenCalled();
    expect(report.results.map((r) => r.status === 'failed' && r.reason)).toEqual(['circuit-open', 'circuit-open', 'circuit-open']);
  });

  it('a half-open circuit with a free trial slot lets rows start until every slot is taken', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, halfOpenMaxCalls: 2, ...noPacing });
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await clock.advance(1000);
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const run = runBulk([0, 1, 2, 3], async (n) => {
      started.push(n);
      await new Promise<void>((resolve) => releases.push(resolve));
      return n;
    }, { executor, concurrency: 4 });
    await clock.advance(0);
    expect(started).toEqual([0, 1]);
    for (const release of releases) release();
    await clock.advance(0);
    for (const release of releases.slice(2)) release();
    const report = await run;
    expect(started).toEqual([0, 1, 2, 3]);
    expect(report.succeeded).toBe(4);
  });

  it('a row that ends while it waits for its retry does not give back a slot it no longer holds', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    let releaseB!: () => void;
    const run = runBulk(['a', 'b', 'c'], async (item, _i, { attempt }) => {
      if (item === 'a' && attempt === 1) throw httpError(429);
      if (item === 'b') await new Promise<void>((resolve) => (releaseB = resolve));
      return item;
    }, { executor, concurrency: 1, onCircuitOpen: 'fail' });
    await clock.advance(0); // a waits for its retry, b holds the only slot
    const hold = executor.isolate();
    await clock.advance(100); // a's retry waits for b's slot; the circuit is asked only when a has it
    hold.dispose();
    releaseB();
    const report = await run;
    expect(report.results.map((r) => (r.status === 'failed' ? r.reason : r.status))).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(executor.getStats()).toMatchObject({ succeeded: 3, rejected: 0 });
  });
});

describe('rows wait for a trial that is not one of theirs', () => {
  it('rows held back by a trial of another caller start as soon as that trial closes the circuit', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, ...noPacing });
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await clock.advance(1000);
    let endTrial!: (value: string) => void;
    const trial = executor.execute(() => new Promise<string>((resolve) => (endTrial = resolve)));
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', isOpen: true });
    const task = vi.fn(async (n: number) => n);
    const run = track(runBulk([1, 2], task, { executor }));
    await clock.advance(0);
    expect(task).not.toHaveBeenCalled();
    endTrial('ok');
    await expect(trial).resolves.toBe('ok');
    await clock.advance(0);
    expect(run.value).toMatchObject({ succeeded: 2, failed: 0 });
  });
});
