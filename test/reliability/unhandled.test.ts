/**
 * No unhandled rejection and no console noise from the library, over a mixed run of executor and runBulk scenarios:
 * every way a call can end (success, retry, exhaustion, pass-through, circuit rejection, caller abort, stop(),
 * attempt timeout, throwing hooks and predicates, late settlements of abandoned attempts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExecutor, runBulk, type Executor } from '../../src/index.js';
import { createRecordingClock, flush, type RecordingClock } from './support/recordingClock.js';

function httpError(status: number, headers: Record<string, string> = {}): Error & { status: number; headers: Headers } {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(headers) });
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function settleEverything(clock: RecordingClock): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flush();
    await clock.advance(100_000);
  }
  await flush();
}

const noop = (): undefined => undefined;

describe('no unhandled rejection', () => {
  afterEach(() => {
    unhandled.length = 0;
  });

  it('over a mixed run of executor calls', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock, failureThreshold: 3, maxRetries: 2, attemptTimeoutMs: 5000, jitter: 'none' });
    const calls: Array<Promise<unknown>> = [];
    const keep = (p: Promise<unknown>): void => void calls.push(p.then(noop, noop));

    keep(executor.execute(() => 'ok'));
    keep(executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'retried')));
    keep(executor.execute(async () => Promise.reject(httpError(429))));
    keep(executor.execute(async () => Promise.reject(httpError(404))));
    keep(
      executor.execute(() => {
        throw httpError(400); // thrown synchronously
      }),
    );
    // An attempt that times out, then rejects late: the late rejection must be absorbed.
    keep(executor.execute(() => new Promise((_, reject) => clock.setTimeout(() => reject(new Error('late')), 9000)), { idempotent: false }));
    // A thenable that rejects after its call was aborted.
    const controller = new AbortController();
    keep(executor.execute(() => new Promise((_, reject) => clock.setTimeout(() => reject(new Error('after abort')), 10)), { signal: controller.signal }));
    controller.abort(new Error('caller left'));
    // onRetry that throws.
    keep(
      executor.execute(async () => Promise.reject(httpError(429)), {
        onRetry: () => {
          throw new Error('hook bug');
        },
      }),
    );
    // Enough failures to open the circuit, then rejected calls, then a trial.
    for (let i = 0; i < 3; i++) keep(executor.execute(async () => Promise.reject(httpError(500))));
    await settleEverything(clock);
    keep(executor.execute(() => 'rejected by the open circuit'));
    await settleEverything(clock);
    keep(executor.execute(() => 'trial'));
    // Calls left in back-off and in flight when the executor stops, and calls after stop().
    keep(executor.execute(async () => Promise.reject(httpError(429, { 'Retry-After': '10' }))));
    keep(executor.execute(() => new Promise(() => {})));
    await flush();
    executor.stop();
    keep(executor.execute(() => 'after stop'));
    await Promise.all(calls);
    await settleEverything(clock);
    expect(unhandled).toEqual([]);
  });

  it('with predicates and a logger that throw', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({
      clock,
      shouldRetry: (error) => {
        if ((error as { status?: number }).status === 418) throw new Error('shouldRetry bug');
        return true;
      },
      isFailure: (error) => {
        if ((error as { status?: number }).status === 451) throw new Error('isFailure bug');
        return true;
      },
      logger: () => {
        throw new Error('logger bug');
      },
    });
    const calls = [418, 451, 429, 500].map((status) => executor.execute(async () => Promise.reject(httpError(status))).then(noop, noop));
    await settleEverything(clock);
    await Promise.all(calls);
    executor.stop();
    await settleEverything(clock);
    expect(unhandled).toEqual([]);
  });

  it('over runBulk runs: aborted mid-way, executor stopped mid-way, throwing onProgress, retryFailed', async () => {
    const clock = createRecordingClock();
    const executors: Executor[] = [];
    const make = (): Executor => {
      const e = createExecutor({ clock, jitter: 'none', failureThreshold: 4, maxRetries: 2 });
      executors.push(e);
      return e;
    };
    const items = Array.from({ length: 20 }, (_, i) => i);
    const task = async (n: number, _i: number, { attempt, signal }: { attempt: number; signal: AbortSignal }): Promise<number> => {
      if (n % 5 === 0) throw httpError(500);
      if (n % 3 === 0 && attempt === 1) throw httpError(429);
      // Hangs until aborted. (An operation that ignores its signal is not ended by stop(): see leaks.test.ts.)
      if (n % 7 === 0) return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      return n;
    };

    const controller = new AbortController();
    const aborted = runBulk(items, task, { executor: make(), concurrency: 4, signal: controller.signal });
    const stoppedExecutor = make();
    const stopped = runBulk(items, task, { executor: stoppedExecutor, concurrency: 4 });
    const noisy = runBulk(items.slice(0, 6), async (n) => n, {
      executor: make(),
      onProgress: () => {
        throw new Error('progress bug');
      },
    });
    await flush();
    controller.abort(new Error('user cancelled'));
    stoppedExecutor.stop();
    const reports = await Promise.all([aborted, stopped, noisy]);
    expect(reports.map((r) => r.total)).toEqual([20, 20, 6]);

    const retryable = make();
    const first = runBulk(items, async (n, _i, { attempt }) => (n % 2 === 0 && attempt < 3 ? Promise.reject(httpError(503)) : n), {
      executor: retryable,
      idempotent: false,
    });
    await settleEverything(clock);
    const again = (await first).retryFailed({ idempotent: true });
    await settleEverything(clock);
    await again;
    for (const e of executors) e.stop();
    await settleEverything(clock);
    expect(unhandled).toEqual([]);
  });
});

describe('no console noise', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function spyConsole(): { calls: () => unknown[][] } {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    return { calls: () => spies.flatMap((spy) => spy.mock.calls) };
  }

  it('aborting a call while it backs off writes nothing to the console', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock });
    const output = spyConsole();
    const controller = new AbortController();
    const call = executor.execute(async () => Promise.reject(httpError(429)), { signal: controller.signal }).catch(noop);
    await flush();
    controller.abort(new Error('navigated away'));
    await call;
    await settleEverything(clock);
    expect(output.calls()).toEqual([]);
    executor.stop();
  });

  it('stop() with a call backing off writes nothing to the console', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock });
    const output = spyConsole();
    const call = executor.execute(async () => Promise.reject(httpError(429))).catch(noop);
    await flush();
    executor.stop();
    await call;
    await settleEverything(clock);
    expect(output.calls()).toEqual([]);
  });

  it('an onRetry hook that throws writes nothing to the console', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock });
    const output = spyConsole();
    await executor
      .execute(async () => Promise.reject(httpError(429)), {
        onRetry: () => {
          throw new Error('hook bug');
        },
      })
      .catch(noop);
    await settleEverything(clock);
    expect(output.calls()).toEqual([]);
    executor.stop();
  });
});
