/**
 * Aborting a run through its signal: a row already sent fails as aborted, a row never sent as not-started, neither
 * counts as a retry, the report says the run was aborted, and no listener is left on the signal.
 */

import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createExecutor, createPacer, runBulk, type BulkProgress } from '../../src/index.js';
import { createTestClock, httpError } from '../support/clock.js';
import { hang, noPacing } from '../support/bulkHelpers.js';

describe('an aborted run reports every row once, aborted or not-started', () => {
  it('a row sent is aborted, a row still waiting for its pacing slot is not-started, and neither counts as a retry', async () => {
    const clock = createTestClock();
    const pacer = createPacer({ clock, initialRatePerSecond: 1 });
    const executor = createExecutor({ clock, pacer, retryBudget: false });
    const controller = new AbortController();
    const task = vi.fn(hang);
    const progress: BulkProgress[] = [];
    const run = runBulk(['sent', 'paced'], task, { executor, concurrency: 2, signal: controller.signal, onProgress: (p) => progress.push(p) });
    await clock.advance(500);
    expect(task).toHaveBeenCalledTimes(1);
    const reason = new Error('cancelled');
    controller.abort(reason);
    const report = await run;
    expect(task).toHaveBeenCalledTimes(1);
    expect(report.results).toEqual([
      { index: 0, item: 'sent', status: 'failed', reason: 'aborted', error: reason, attempts: 1 },
      { index: 1, item: 'paced', status: 'failed', reason: 'not-started', error: reason, attempts: 0 },
    ]);
    expect(report).toMatchObject({ total: 2, succeeded: 0, failed: 2, retries: 0, wasAborted: true, failedIndices: [0, 1] });
    expect(report.errors.map((e) => [e.row, e.index, e.errors[0]!.code])).toEqual([
      [1, 0, 'ABORTED'],
      [2, 1, 'NOT_STARTED'],
    ]);
    expect(progress.at(-1)).toEqual({ total: 2, done: 1, succeeded: 0, failed: 1, notStarted: 1, inFlight: 0, waiting: 0, retries: 0, paused: false, nextTrialAt: null });
  });

  it('a row waiting in its back-off is aborted, a row never sent is not-started', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const controller = new AbortController();
    const progress: BulkProgress[] = [];
    const run = runBulk(['waiting', 'hangs', 'never'], async (item) => {
      if (item === 'waiting') throw httpError(429, { 'Retry-After': '60' });
      return hang();
    }, { executor, concurrency: 1, signal: controller.signal, onProgress: (p) => progress.push(p) });
    await clock.advance(100);
    expect(progress.at(-1)).toEqual({ total: 3, done: 0, succeeded: 0, failed: 0, notStarted: 0, inFlight: 1, waiting: 1, retries: 0, paused: false, nextTrialAt: null });
    controller.abort('stop');
    const report = await run;
    expect(report.results.map((r) => [r.status === 'failed' ? r.reason : r.status, r.attempts])).toEqual([
      ['aborted', 1],
      ['aborted', 1],
      ['not-started', 0],
    ]);
    expect(report).toMatchObject({ succeeded: 0, failed: 3, retries: 0, wasAborted: true, failedItems: ['waiting', 'hangs', 'never'] });
    expect(progress.at(-1)).toEqual({ total: 3, done: 2, succeeded: 0, failed: 2, notStarted: 1, inFlight: 0, waiting: 0, retries: 0, paused: false, nextTrialAt: null });
  });

  it('a run whose signal is already aborted sends nothing and reports every row not-started', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const task = vi.fn(async () => 1);
    const report = await runBulk(['x', 'y'], task, { executor, signal: AbortSignal.abort('too late') });
    expect(task).not.toHaveBeenCalled();
    expect(report.results).toEqual([
      { index: 0, item: 'x', status: 'failed', reason: 'not-started', error: 'too late', attempts: 0 },
      { index: 1, item: 'y', status: 'failed', reason: 'not-started', error: 'too late', attempts: 0 },
    ]);
    expect(report).toMatchObject({ retries: 0, wasAborted: true, failed: 2, succeeded: 0 });
    expect(executor.getStats().calls).toBe(0);
  });

  it('a run with only aborted rows (none not-started) is flagged aborted', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    const run = runBulk(['only'], hang, { executor, signal: controller.signal });
    await Promise.resolve();
    controller.abort('stop');
    const report = await run;
    expect(report.results.map((r) => r.status === 'failed' && r.reason)).toEqual(['aborted']);
    expect(report.wasAborted).toBe(true);
  });

  it('a run that was not aborted is not flagged, even when rows failed or were refused by the circuit', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, ...noPacing });
    const report = await runBulk([500, 1, 2], async (n) => {
      if (n === 500) throw httpError(500);
      return n;
    }, { executor, concurrency: 1, onCircuitOpen: 'fail' });
    expect(report.results.map((r) => (r.status === 'failed' ? r.reason : r.status))).toEqual(['error', 'circuit-open', 'circuit-open']);
    expect(report.results.map((r) => r.attempts)).toEqual([1, 0, 0]);
    expect(report).toMatchObject({ wasAborted: false, retries: 0, failed: 3 });
  });
});

describe('runBulk leaves the caller signal as it found it', () => {
  it('leaves no listener on the caller signal after a run, nor once the signal aborted it', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const kept = new AbortController();
    await runBulk([1, 2], async (n) => n, { executor, signal: kept.signal });
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);

    const controller = new AbortController();
    const run = runBulk([1], hang, { executor, signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('stop');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await run;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
