import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createExecutor, runBulk, type BulkProgress } from '../../src/index.js';
import { createTestClock, flush, httpError } from '../support/clock.js';

const noPacing = { pacer: false, retryBudget: false } as const;

describe('runBulk', () => {
  it('reports every row in item order with its value', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const report = await runBulk([1, 2, 3, 4, 5, 6, 7], async (n) => n * 10, { executor, concurrency: 3 });
    expect(report).toMatchObject({ total: 7, succeeded: 7, failed: 0, retries: 0, wasAborted: false, errors: [], failedItems: [] });
    expect(report.results.map((r) => (r.status === 'succeeded' ? r.value : null))).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('an executor stopped while a retry waits for a slot: every row is reported, the run ends, and no reported row runs again', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing, initialDelayMs: 100, jitter: 'none' });
    const calls: string[] = [];
    let releaseC!: () => void;
    const cHolds = new Promise<string>((resolve) => (releaseC = () => resolve('c done')));
    const run = runBulk(
      ['a', 'c', 'd'],
      async (row, _index, { attempt }) => {
        calls.push(`${row}#${attempt}`);
        if (row === 'a' && attempt === 1) throw httpError(429);
        if (row === 'c') return cHolds;
        return row;
      },
      { executor, concurrency: 1 },
    );
    await flush();
    expect(calls).toEqual(['a#1', 'c#1']); // a waits out its back-off and gave its slot to c
    await clock.advance(100); // a's retry is due, and waits for c's slot
    expect(calls).toEqual(['a#1', 'c#1']);
    executor.stop();
    const report = await run;
    releaseC();
    await flush();
    await clock.advance(1_000);
    expect(calls).toEqual(['a#1', 'c#1']);
    expect(report.results.map((r) => [r.item, r.status])).toEqual([
      ['a', 'failed'],
      ['c', 'failed'],
      ['d', 'failed'],
    ]);
    expect(report.failed).toBe(3);
  });

  it('an executor stopped during a half-open trial: the run ends and every row is reported once, the unsent ones not-started', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing, failureThreshold: 1, openDurationMs: 1_000, maxRetries: 0 });
    await executor.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
    await clock.advance(1_000);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    const sent: number[] = [];
    const run = runBulk([1, 2, 3, 4, 5], (n) => {
      sent.push(n);
      return new Promise<number>(() => {}); // the trial never answers
    }, { executor, concurrency: 2 });
    await clock.advance(0);
    expect(sent).toEqual([1]);
    executor.stop();
    let report: Awaited<typeof run> | undefined;
    void run.then((r) => (report = r));
    await clock.advance(0);

    expect(report, 'the run ended').toBeDefined();
    expect(report!.results.map((r) => [r.item, r.status === 'failed' ? r.reason : r.status])).toEqual([
      [1, 'aborted'],
      [2, 'not-started'],
      [3, 'not-started'],
      [4, 'not-started'],
      [5, 'not-started'],
    ]);
    expect(sent).toEqual([1]);
  });

  it('an executor stopped before some rows were sent reports those rows not-started, not error', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const run = runBulk(['a', 'b', 'c'], async (row) => {
      if (row === 'a') await held;
      return row;
    }, { executor, concurrency: 1 });
    await flush();
    executor.stop();
    release();
    const report = await run;
    expect(report.results.map((r) => (r.status === 'failed' ? r.reason : r.status))).toEqual(['aborted', 'not-started', 'not-started']);
    expect(report.errors.map((e) => e.errors[0]!.code)).toEqual(['ABORTED', 'NOT_STARTED', 'NOT_STARTED']);
  });

  it('a sparse array: each hole is a row (undefined), reported like any other', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    // eslint-disable-next-line no-sparse-arrays
    const items = [1, , 3, , 5] as (number | undefined)[];
    const report = await runBulk(items, async (n) => (n === undefined ? 'hole' : n * 10), { executor, concurrency: 2 });
    expect(report).toMatchObject({ total: 5, succeeded: 5, failed: 0 });
    expect(report.results.map((r) => [r.index, r.item, r.status === 'succeeded' ? r.value : r.status])).toEqual([
      [0, 1, 10],
      [1, undefined, 'hole'],
      [2, 3, 30],
      [3, undefined, 'hole'],
      [4, 5, 50],
    ]);
  });

  it('never runs more than `concurrency` tasks at once', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    let running = 0;
    let most = 0;
    await runBulk(Array.from({ length: 40 }, (_, i) => i), async () => {
      running++;
      most = Math.max(most, running);
      await flush();
      running--;
    }, { executor, concurrency: 4 });
    expect(most).toBe(4);
  });

  it('lists failed rows for an import screen, with the field when the server names it', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    const items = [{ email: 'a@x' }, { email: 'dup@x' }, { email: '' }];
    const report = await runBulk(items, async (item) => {
      if (item.email === 'dup@x') {
        throw Object.assign(httpError(409), { body: { code: '23505', message: 'duplicate key value violates unique constraint "contacts_email_key"', details: 'Key (email)=(dup@x) already exists.' } });
      }
      if (item.email === '') throw Object.assign(httpError(400), { body: { errors: { email: 'Required' } } });
      return item.email;
    }, { executor });
    expect(report.succeeded).toBe(1);
    expect(report.failedIndices).toEqual([1, 2]);
    expect(report.failedItems).toEqual([items[1], items[2]]);
    expect(report.errors).toEqual([
      { row: 2, index: 1, errors: [{ field: 'email', message: 'duplicate key value violates unique constraint "contacts_email_key"', code: '23505' }] },
      { row: 3, index: 2, errors: [{ field: 'email', message: 'Required', code: 'VALIDATION' }] },
    ]);
  });

  it('the import screen line says why a row failed: overloaded after 429s, not answering in an outage', async () => {
    const clock = createTestClock();
    const limited = createExecutor({ clock, ...noPacing, maxRetries: 0, failureThreshold: 2, openDurationMs: 60_000, rateLimitRetries: 0 });
    const limitedReport = await runBulk(['a', 'b', 'c'], () => Promise.reject(httpError(429)), { executor: limited, concurrency: 1, onCircuitOpen: 'fail' });
    expect(limitedReport.errors.map((e) => e.errors[0])).toEqual([
      { field: null, message: 'System overloaded. Try again in a few moments.', code: 'RATE_LIMIT_MAX_RETRIES_EXCEEDED' },
      { field: null, message: 'Too many requests. Wait 1-2 minutes before trying again.', code: 'RATE_LIMIT_CIRCUIT_OPEN' },
      { field: null, message: 'Too many requests. Wait 1-2 minutes before trying again.', code: 'RATE_LIMIT_CIRCUIT_OPEN' },
    ]);

    const down = createExecutor({ clock, ...noPacing, maxRetries: 0, failureThreshold: 2, openDurationMs: 60_000, idempotent: true });
    const downReport = await runBulk(['a', 'b', 'c'], () => Promise.reject(httpError(503)), { executor: down, concurrency: 1, onCircuitOpen: 'fail' });
    const lines = downReport.errors.map((e) => e.errors[0]!);
    expect(lines.map((line) => line.message)).toEqual([
      'The server is not answering. Try again in a few moments.',
      'The server is not answering. Next try in 60 s.',
      'The server is not answering. Next try in 60 s.',
    ]);
    expect(lines.map((line) => line.code)).toEqual(['RATE_LIMIT_MAX_RETRIES_EXCEEDED', 'RATE_LIMIT_CIRCUIT_OPEN', 'RATE_LIMIT_CIRCUIT_OPEN']);
  });

  it('a row waiting out its Retry-After gives its slot to the next row', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const log: string[] = [];
    const run = runBulk(['a', 'b', 'c'], async (item, _i, { attempt }) => {
      log.push(`${item}${attempt}@${clock.now() - 1_700_000_000_000}`);
      if (item === 'a' && attempt === 1) throw httpError(429, { 'Retry-After': '5' });
      return item;
    }, { executor, concurrency: 1 });
    await clock.advance(0);
    expect(log).toEqual(['a1@0', 'b1@0', 'c1@0']);
    await clock.advance(5000);
    const report = await run;
    expect(log).toEqual(['a1@0', 'b1@0', 'c1@0', 'a2@5000']);
    expect(report).toMatchObject({ succeeded: 3, retries: 1 });
  });

  it('many retries waiting for a slot at once share one abort listener: no MaxListenersExceededWarning, and a stop still refuses them all', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const clock = createTestClock();
      const executor = createExecutor({ clock, ...noPacing, initialDelayMs: 100, jitter: 'none' });
      const controller = new AbortController();
      let releaseHolder!: () => void;
      const holder = new Promise<string>((resolve) => (releaseHolder = () => resolve('held')));
      const rows = Array.from({ length: 25 }, (_, i) => i);
      const run = runBulk(
        rows,
        async (row, _index, { attempt }) => {
          // Row 24 keeps the only slot while the other 24 rows, each refused once, wait for their retry slot.
          if (row === 24) return holder;
          if (attempt === 1) throw httpError(429);
          return row;
        },
        { executor, concurrency: 1, signal: controller.signal },
      );
      for (let i = 0; i < 30; i++) await clock.advance(100);
      controller.abort(new Error('stopped by the user'));
      const report = await run;
      releaseHolder();
      await flush();
      expect(report.wasAborted).toBe(true);
      expect(report.results.filter((r) => r.status === 'failed' && r.reason === 'aborted').length).toBeGreaterThan(10);
      expect(report.results.length).toBe(25);
    } finally {
      await flush();
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('serves a row whose retry is due before starting new rows', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, jitter: 'none', ...noPacing });
    const order: string[] = [];
    let releaseB!: () => void;
    const run = runBulk(['a', 'b', 'c'], async (item, _i, { attempt }) => {
      order.push(`${item}${attempt}`);
      if (item === 'a' && attempt === 1) throw httpError(429);
      if (item === 'b') await new Promise<void>((resolve) => (releaseB = resolve));
      return item;
    }, { executor, concurrency: 1 });
    await clock.advance(0);
    expect(order).toEqual(['a1', 'b1']);
    await clock.advance(100); // a's back-off ends while b holds the only slot
    releaseB();
    await run;
    expect(order).toEqual(['a1', 'b1', 'a2', 'c1']);
  });

  it('on abort reports rows in flight as aborted and rows not sent as not-started, each exactly once', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, ...noPacing });
    const controller = new AbortController();
    const progress: BulkProgress[] = [];
    const run = runBulk(Array.from({ length: 10 }, (_, i) => i), () => new Promise(() => {}), {
      executor,
      concurrency: 3,
      signal: controller.signal,
      onProgress: (p) => progress.push(p),
    });
    await clock.advance(0);
    controller.abort(new Error('user cancelled'));
    const report = await run;
    expect(report).toMatchObject({ total: 10, succeeded: 0, failed: 10, wasAborted: true });
    expect(report.results.filter((r) => r.status === 'failed' && r.reason === 'aborted')).toHaveLength(3);
    expect(report.results.filter((r) => r.status === 'failed' && r.reason === 'not-started')).toHaveLength(7);
    expect(report.errors[0]!.errors[0]!.code).toBe('ABORTED');
    expect(report.errors[9]!.errors[0]!.code).toBe('NOT_STARTED');
    // The rows never sent are not started, not done: progress after a stop does not read 10 of 10.
    expect(progress.at(-1)).toMatchObject({ done: 3, failed: 3, notStarted: 7, total: 10, inFlight: 0, waiting: 0 });
  });

  it('rows rejected by an open circuit fail as circuit-open and retryFailed() sends just them again', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 2, ...noPacing });
    let down = true;
    const sent: number[] = [];
    const report = await runBulk(Array.from({ length: 6 }, (_, i) => i), async (n) => {
      sent.push(n);
      if (down) throw httpError(500);
      return n;
    }, { executor, concurrency: 1, onCircuitOpen: 'fail' });
    expect(sent).toEqual([0, 1]);
    expect(report.failed).toBe(6);
    expect(report.results.map((r) => (r.status === 'failed' ? r.reason : 'ok'))).toEqual(['error', 'error', 'circuit-open', 'circuit-open', 'circuit-open', 'circuit-open']);
    // Opened by 500s, an outage: the line says the server is not answering, not that there were too many requests.
    expect(report.errors[2]!.errors[0]).toEqual({ field: null, message: 'The server is not answering. Next try in 60 s.', code: 'RATE_LIMIT_CIRCUIT_OPEN' });

    down = false;
    await clock.advance(60_000);
    const again = await report.retryFailed();
    expect(again).toMatchObject({ total: 6, succeeded: 6, failed: 0 });
    expect(sent.slice(2).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps succeeded rows when retrying the failed ones', async () => {
    const executor = createExecutor({ clock: createTestClock(), ...noPacing });
    let attempt = 0;
    const report = await runBulk(['ok', 'bad'], async (item) => {
      if (item === 'bad' && attempt++ === 0) throw httpError(400);
      return item.toUpperCase();
    }, { executor });
    const again = await report.retryFailed();
    expect(again.results.map((r) => r.status === 'succeeded' && r.value)).toEqual(['OK', 'BAD']);
  });

  it('validates its arguments', () => {
    expect(() => runBulk('rows' as never, async () => 1)).toThrow(TypeError);
    expect(() => runBulk([], 'task' as never)).toThrow(TypeError);
    expect(() => runBulk([], async () => 1, { concurrency: 0 })).toThrow(/"concurrency"/);
    expect(() => runBulk([], async () => 1, { concurrency: 1.5 })).toThrow(RangeError);
  });

  it('ends an empty run at once', async () => {
    await expect(runBulk([], async () => 1)).resolves.toMatchObject({ total: 0, succeeded: 0, failed: 0 });
  });

  it('property: every item ends exactly once, whatever each row does', async () => {
    type Behaviour = 'ok' | 'bad' | 'limited-then-ok' | 'always-limited' | 'down';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Behaviour>('ok', 'bad', 'limited-then-ok', 'always-limited', 'down'), { maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        fc.constantFrom<'wait' | 'fail'>('wait', 'fail'),
        async (behaviours, concurrency, abortAfterSteps, onCircuitOpen) => {
          const clock = createTestClock();
          const executor = createExecutor({ clock, jitter: 'none', failureThreshold: 3, openDurationMs: 1_000, ...noPacing });
          const controller = new AbortController();
          const calls = new Map<number, number>();
          const run = runBulk(behaviours, async (behaviour, index, { attempt }) => {
            calls.set(index, (calls.get(index) ?? 0) + 1);
            if (behaviour === 'bad') throw httpError(422);
            if (behaviour === 'down') throw httpError(500);
            if (behaviour === 'always-limited' || (behaviour === 'limited-then-ok' && attempt === 1)) throw httpError(429);
            return index;
          }, { executor, concurrency, signal: controller.signal, onCircuitOpen, maxCircuitWaitMs: 5_000 });
          let done = false;
          void run.then(() => (done = true));
          for (let step = 0; step < 200 && !done; step++) {
            if (step === abortAfterSteps) controller.abort('stop');
            await clock.advance(100);
          }
          const report = await run;
          expect(report.results.map((r) => r.index)).toEqual(behaviours.map((_, i) => i));
          expect(report.succeeded + report.failed).toBe(behaviours.length);
          for (const result of report.results) {
            if (result.status === 'succeeded') expect(['ok', 'limited-then-ok']).toContain(behaviours[result.index]);
            if (result.status === 'failed' && result.reason === 'not-started') expect(calls.has(result.index)).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('runBulk and a half-open circuit', () => {
  it('holds new rows while the trial runs, then sends them once the trial closed the circuit', async () => {
    const clock = createTestClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 1000, pacer: false, retryBudget: false });
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await clock.advance(1000);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    let releaseTrial!: () => void;
    const started: number[] = [];
    const run = runBulk([0, 1, 2, 3], async (n) => {
      started.push(n);
      if (n === 0) await new Promise<void>((resolve) => (releaseTrial = resolve));
      return n;
    }, { executor, concurrency: 4 });
    await clock.advance(0);
    expect(started).toEqual([0]);
    releaseTrial();
    const report = await run;
    expect(started).toEqual([0, 1, 2, 3]);
    expect(report).toMatchObject({ succeeded: 4, failed: 0 });
  });
});
