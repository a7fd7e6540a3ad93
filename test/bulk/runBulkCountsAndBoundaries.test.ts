/**
 * Pins the exact counters, reasons and report fields `runBulk` produces, so that a flipped operator, a dropped
 * condition or a changed field in `src/bulk/runBulk.ts` makes a test fail.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createExecutor, createPacer, runBulk, type BulkOptions, type BulkProgress, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';

const noPacing = { pacer: false, retryBudget: false } as const;
const hang = (): Promise<never> => new Promise(() => {});

describe('runBulk progress', () => {
  it('reports inFlight, waiting and retries exactly through a small scripted run', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const progress: BulkProgress[] = [];
    // a: 429 twice, then ok. b: ok. c: 400 (not retried).
    const run = runBulk(['a', 'b', 'c'], async (item, _i, { attempt }) => {
      if (item === 'a' && attempt < 3) throw httpError(429);
      if (item === 'c') throw httpError(400);
      return item;
    }, { executor, concurrency: 2, onProgress: (p) => progress.push(p) });
    await clock.advance(100);
    await clock.advance(200);
    const report = await run;

    const row = (done: number, succeeded: number, failed: number, inFlight: number, waiting: number, retries: number): BulkProgress => ({
      total: 3,
      done,
      succeeded,
      failed,
      notStarted: 0,
      inFlight,
      waiting,
      retries,
      paused: false,
      nextTrialAt: null,
    });
    expect(progress).toEqual([
      row(0, 0, 0, 1, 0, 0), // a sent
      row(0, 0, 0, 2, 0, 0), // b sent
      row(0, 0, 0, 2, 1, 0), // a waits; its slot goes to c, sent at once
      row(0, 0, 0, 2, 1, 0), // a's onRetry
      row(1, 1, 0, 1, 1, 0), // b succeeded
      row(2, 1, 1, 0, 1, 0), // c failed
      row(2, 1, 1, 1, 0, 1), // a sent again
      row(2, 1, 1, 0, 1, 1), // a waits again
      row(2, 1, 1, 1, 0, 2), // a sent a third time
      row(3, 2, 1, 0, 0, 2), // a succeeded
    ]);
    expect(report.results).toEqual([
      { index: 0, item: 'a', status: 'succeeded', value: 'a', attempts: 3 },
      { index: 1, item: 'b', status: 'succeeded', value: 'b', attempts: 1 },
      { index: 2, item: 'c', status: 'failed', reason: 'error', error: expect.objectContaining({ status: 400 }), attempts: 1 },
    ]);
    expect(report).toMatchObject({ total: 3, successCount: 2, failedCount: 1, retryCount: 2, aborted: false, failedItems: ['c'], failedIndices: [2] });
    expect(report.errors).toEqual([{ row: 3, index: 2, errors: [{ field: null, message: 'HTTP 400', code: 'HTTP_400' }] }]);
  });

  it('a throwing onProgress loses no row', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const onProgress = vi.fn(() => {
      throw new Error('progress bug');
    });
    const report = await runBulk([1, 2, 3], async (n) => n, { executor, onProgress });
    expect(report).toMatchObject({ total: 3, successCount: 3, failedCount: 0 });
    expect(onProgress).toHaveBeenCalledTimes(6);
  });
});

describe('runBulk on abort', () => {
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
    expect(report).toMatchObject({ total: 2, successCount: 0, failedCount: 2, retryCount: 0, aborted: true, failedIndices: [0, 1] });
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
    expect(report).toMatchObject({ successCount: 0, failedCount: 3, retryCount: 0, aborted: true, failedItems: ['waiting', 'hangs', 'never'] });
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
    expect(report).toMatchObject({ retryCount: 0, aborted: true, failedCount: 2, successCount: 0 });
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
    expect(report.aborted).toBe(true);
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
    expect(report).toMatchObject({ aborted: false, retryCount: 0, failedCount: 3 });
  });
});

describe('runBulk and the circuit', () => {
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
    expect(report.successCount).toBe(4);
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
    expect(executor.getStats()).toMatchObject({ successes: 3, rejections: 0 });
  });
});

describe('runBulk options', () => {
  it('runs 5 rows at once by default', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const controller = new AbortController();
    const task = vi.fn(hang);
    const run = runBulk(Array.from({ length: 8 }, (_, i) => i), task, { executor, signal: controller.signal });
    await Promise.resolve();
    expect(task).toHaveBeenCalledTimes(5);
    controller.abort('done');
    await run;
  });

  it('passes idempotent to every row: a 503 is retried only when asked', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const task = async (_item: string, _i: number, { attempt }: { attempt: number }): Promise<string> => {
      if (attempt === 1) throw httpError(503);
      return 'ok';
    };
    const plain = await runBulk(['x'], task, { executor });
    expect(plain.results[0]).toMatchObject({ status: 'failed', reason: 'error', attempts: 1 });
    const run = track(runBulk(['x'], task, { executor, idempotent: true }));
    await clock.advance(100);
    expect(run.value).toMatchObject({ successCount: 1, retryCount: 1 });
  });

  it('tells the logger which row (1-based) a line is about', async () => {
    const clock = createTestClock();
    const entries: LogEntry[] = [];
    const executor = createExecutor({ clock, jitter: 'none', logger: (e) => entries.push(e), ...noPacing });
    const run = runBulk(['ok', 'limited'], async (item, _i, { attempt }) => {
      if (item === 'limited' && attempt === 1) throw httpError(429);
      return item;
    }, { executor });
    await clock.advance(100);
    await run;
    expect(entries.map((e) => [e.event, e.context])).toEqual([['retry', { row: 2 }]]);
  });

  it('leaves an executor it was given running', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    await runBulk([1], async (n) => n, { executor });
    await expect(executor.execute(() => 'still running')).resolves.toBe('still running');
  });

  it('runs with an executor of its own when given none', async () => {
    const report = await runBulk([1, 2], async (n, index, { attempt, signal }) => `${n}:${index}:${attempt}:${signal.aborted}`);
    expect(report.results.map((r) => r.status === 'succeeded' && r.value)).toEqual(['1:0:1:false', '2:1:1:false']);
  });

  const bad: Array<[string, () => unknown, typeof TypeError | typeof RangeError, string]> = [
    ['items', () => runBulk('rows' as never, async () => 1), TypeError, 'xstate-circuit-breaker: runBulk() items must be an array, got "rows".'],
    ['task', () => runBulk([], 'task' as never), TypeError, 'xstate-circuit-breaker: runBulk() task must be a function, got "task".'],
    ['options', () => runBulk([], async () => 1, null as never), TypeError, 'xstate-circuit-breaker: runBulk() options must be an object, got null.'],
    ['options 5', () => runBulk([], async () => 1, 5 as never), TypeError, 'xstate-circuit-breaker: runBulk() options must be an object, got 5.'],
    [
      'an unknown option',
      () => runBulk([], async () => 1, { concurency: 2 } as BulkOptions),
      TypeError,
      'xstate-circuit-breaker: unknown runBulk() option "concurency". Known options: executor, concurrency, signal, onProgress, idempotent, onCircuitOpen, maxCircuitWaitMs.',
    ],
    ['concurrency "3"', () => runBulk([], async () => 1, { concurrency: '3' as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got "3".'],
    ['concurrency 0', () => runBulk([], async () => 1, { concurrency: 0 }), RangeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got 0.'],
    ['concurrency 2.5', () => runBulk([], async () => 1, { concurrency: 2.5 }), RangeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got 2.5.'],
    ['concurrency NaN', () => runBulk([], async () => 1, { concurrency: Number.NaN }), RangeError, 'xstate-circuit-breaker: runBulk() option "concurrency" must be an integer >= 1, got NaN.'],
    ['executor {}', () => runBulk([], async () => 1, { executor: {} as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.'],
    ['executor null', () => runBulk([], async () => 1, { executor: null as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got null.'],
    [
      'an executor without subscribe',
      () => runBulk([], async () => 1, { executor: { execute: () => undefined, getCircuitState: () => undefined } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.',
    ],
    [
      'an executor without getCircuitState',
      () => runBulk([], async () => 1, { executor: { execute: () => undefined, subscribe: () => undefined } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.',
    ],
    ['signal null', () => runBulk([], async () => 1, { signal: null as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got null.'],
    [
      'a signal without addEventListener',
      () => runBulk([], async () => 1, { signal: { aborted: false } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got an object.',
    ],
    [
      'a signal without a boolean aborted',
      () => runBulk([], async () => 1, { signal: { aborted: 0, addEventListener: () => undefined } as never }),
      TypeError,
      'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got an object.',
    ],
    ['idempotent "yes"', () => runBulk([], async () => 1, { idempotent: 'yes' as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "idempotent" must be a boolean, got "yes".'],
    ['onProgress 1', () => runBulk([], async () => 1, { onProgress: 1 as never }), TypeError, 'xstate-circuit-breaker: runBulk() option "onProgress" must be a function, got 1.'],
  ];

  it.each(bad)('rejects %s at once, naming it', (_name, call, kind, message) => {
    expect(call).toThrow(kind);
    expect(call).toThrow(message);
  });
});

describe('retryFailed()', () => {
  it('keeps the first run options it is not told to change, and reports the merged outcome', async () => {
    const clock = createTestClock();
    const down = createExecutor({ clock, ...noPacing });
    const hold = down.isolate();
    const progress: BulkProgress[] = [];
    const first = await runBulk(['a', 'b', 'c'], async (item) => item.toUpperCase(), {
      executor: down,
      concurrency: 1,
      onProgress: (p) => progress.push(p),
      onCircuitOpen: 'fail',
    });
    expect(first).toMatchObject({ failedCount: 3, failedIndices: [0, 1, 2] });
    progress.length = 0;

    const up = createExecutor({ clock, ...noPacing });
    const again = await first.retryFailed({ executor: up });
    hold.dispose();
    expect(again).toMatchObject({ total: 3, successCount: 3, failedCount: 0, retryCount: 0, aborted: false, errors: [], failedItems: [], failedIndices: [] });
    expect(again.results.map((r) => r.status === 'succeeded' && r.value)).toEqual(['A', 'B', 'C']);
    expect(up.getStats().calls).toBe(3);
    // The first run's onProgress and concurrency (1) are kept: the next row starts as the previous one ends.
    expect(progress.map((p) => [p.total, p.done, p.inFlight])).toEqual([
      [3, 0, 1],
      [3, 0, 1],
      [3, 1, 1],
      [3, 1, 1],
      [3, 2, 1],
      [3, 3, 0],
    ]);
  });

  it('runs only the rows still failed, each time, and rejects bad options', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const calls: string[] = [];
    let round = 0;
    const task = async (item: string): Promise<string> => {
      calls.push(`${round}:${item}`);
      if (item === 'bad' || (item === 'late' && round < 2)) throw httpError(400);
      return item;
    };
    const first = await runBulk(['ok', 'late', 'bad'], task, { executor });
    round = 1;
    const totals: string[] = [];
    const second = await first.retryFailed({ onProgress: (p) => totals.push(`${round}:${p.total}:${p.done}`) });
    round = 2;
    // The options given to the first retry stay with the report it returned.
    const third = await second.retryFailed();
    expect(calls).toEqual(['0:ok', '0:late', '0:bad', '1:late', '1:bad', '2:late', '2:bad']);
    expect(totals.filter((t) => t.startsWith('2:')).at(-1)).toBe('2:2:2');
    expect(second.failedIndices).toEqual([1, 2]);
    expect(third).toMatchObject({ successCount: 2, failedCount: 1, failedIndices: [2], failedItems: ['bad'] });
    expect(third.errors).toEqual([{ row: 3, index: 2, errors: [{ field: null, message: 'HTTP 400', code: 'HTTP_400' }] }]);
    await expect(third.retryFailed({ concurrency: 0 })).rejects.toThrow(RangeError);
  });
});

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

describe('runBulk slots and waiting retries', () => {
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
    expect(run.value).toMatchObject({ successCount: 3, retryCount: 2 });
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
    expect(run.value).toMatchObject({ successCount: 3, retryCount: 2 });
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
    expect(run.value).toMatchObject({ successCount: 3 });
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
    expect(run.value).toMatchObject({ aborted: true, failedCount: 2 });
    expect(run.value!.results.map((r) => (r.status === 'failed' ? r.reason : r.status))).toEqual(['aborted', 'aborted']);
    await clock.advance(1000);
    expect(probe.calls).toEqual(['a:1', 'c:1']);
    expect(getEventListeners(probe.signals[0]!, 'abort')).toHaveLength(0);
  });
});

describe('runBulk and a circuit whose trial is not one of its rows', () => {
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
    expect(run.value).toMatchObject({ successCount: 2, failedCount: 0 });
  });
});

describe('runBulk and the caller signal', () => {
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

describe('runBulk with an executor of its own', () => {
  it('stops it after the run: an opened circuit leaves no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const report = await runBulk([1, 2, 3, 4, 5], async () => Promise.reject(httpError(500)));
      expect(report.failedCount).toBe(5);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('runBulk failure reasons for odd errors', () => {
  it('a task that throws null, or a function carrying the circuit-open code, fails with reason "error"', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const lookalike = Object.assign(() => undefined, { code: 'RATE_LIMIT_CIRCUIT_OPEN' });
    const run = track(
      runBulk(['null', 'function'], async (item) => {
        throw item === 'null' ? null : lookalike;
      }, { executor }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(run.settled).toBe(true);
    expect(run.value!.results.map((r) => (r.status === 'failed' ? [r.reason, r.error] : r.status))).toEqual([
      ['error', null],
      ['error', lookalike],
    ]);
  });
});

describe('runBulk option checks, shapes', () => {
  const fakeExecutor = { execute: () => undefined, subscribe: () => undefined, getCircuitState: () => undefined };
  const odd: Array<[string, BulkOptions, string]> = [
    [
      'an executor without execute',
      { executor: { subscribe: () => undefined, getCircuitState: () => undefined } as never },
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got an object.',
    ],
    [
      'a function carrying the executor methods',
      { executor: Object.assign(() => undefined, fakeExecutor) as never },
      'xstate-circuit-breaker: runBulk() option "executor" must be an executor from createExecutor(), got a function.',
    ],
    [
      'a function dressed as an AbortSignal',
      { signal: Object.assign(() => undefined, { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined }) as never },
      'xstate-circuit-breaker: runBulk() option "signal" must be an AbortSignal, got a function.',
    ],
  ];

  it.each(odd)('rejects %s with a TypeError naming it', (_name, options, message) => {
    expect(() => runBulk([], async () => 1, options)).toThrow(new TypeError(message));
  });
});

describe('runBulk: a retry waiting for a slot (RowWait, stopWaiting)', () => {
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
    expect(run.value).toMatchObject({ successCount: 2 });
    expect(executor.getStats().failures).toBe(0);
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
