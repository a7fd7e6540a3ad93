/**
 * What runBulk's options do to each row: the default concurrency, idempotent, the row number in log lines; and the
 * executor: one given is left running, one of its own is stopped after the run.
 */

import { describe, expect, it, vi } from 'vitest';
import { createExecutor, runBulk, type LogEntry } from '../../src/index.js';
import { createTestClock, httpError, track } from '../support/clock.js';
import { hang, noPacing } from '../support/bulkHelpers.js';

describe('runBulk passes its options to every row', () => {
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
    expect(run.value).toMatchObject({ succeeded: 1, retries: 1 });
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
});

describe('runBulk stops only an executor of its own', () => {
  it('leaves an executor it was given running', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    await runBulk([1], async (n) => n, { executor });
    await expect(executor.execute(() => 'still running')).resolves.toBe('still running');
  });

  it('runs with an executor of its own when given none', async () => {
    const report = await runBulk([1, 2], async (n, index, { attempt, signal }) => `${n}:${index}:${attempt}:${signal.aborted}`);
    expect(report.results.map((r) => r.status === 'succeeded' && r.value)).toEqual(['1:0:1:false', '2:1:1:false']);
  });

  it('stops an executor of its own after the run: an opened circuit leaves no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const report = await runBulk([1, 2, 3, 4, 5], async () => Promise.reject(httpError(500)));
      expect(report.failed).toBe(5);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
