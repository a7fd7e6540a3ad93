/**
 * Leaks: `stop()` leaves no timer and no listener behind, a process that used executors exits by itself, and
 * 100,000 executions leave the heap where it was.
 */
import { spawn } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExecutor, createPacer, runBulk, type Executor } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function httpError(status: number, headers: Record<string, string> = {}): Error & { status: number; headers: Headers } {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(headers) });
}

async function microtasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** A situation that leaves timers pending; returns the calls it started (to be ended by stop()). */
type Situation = (executor: Executor, signal: AbortSignal) => Promise<Array<Promise<unknown>>>;

const rejects = (): Promise<never> => Promise.reject(httpError(429, { 'Retry-After': '10' }));

const situations: ReadonlyArray<readonly [string, () => Executor, Situation]> = [
  [
    'calls in back-off',
    () => createExecutor(),
    async (executor, signal) => [executor.execute(rejects), executor.execute(rejects, { signal })],
  ],
  [
    'an open circuit',
    () => createExecutor({ failureThreshold: 1 }),
    async (executor) => {
      await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
      expect(executor.getCircuitState().state).toBe('open');
      return [];
    },
  ],
  [
    'a pacing wait',
    () => createExecutor({ pacer: createPacer({ initialRatePerSecond: 1 }) }),
    async (executor, signal) => [executor.execute(() => 1), executor.execute(() => 2, { signal }), executor.execute(() => 3)],
  ],
  [
    'an attempt timeout pending (the operation honours its signal)',
    () => createExecutor({ attemptTimeoutMs: 5000 }),
    async (executor, signal) => [
      executor.execute(
        ({ signal: attemptSignal }) =>
          new Promise((_, reject) => attemptSignal.addEventListener('abort', () => reject(attemptSignal.reason))),
        { signal },
      ),
    ],
  ],
  [
    'an attempt timeout pending (the operation ignores its signal)',
    () => createExecutor({ attemptTimeoutMs: 5000 }),
    async (executor, signal) => [executor.execute(() => new Promise(() => {}), { signal })],
  ],
  [
    'a bulk run with rows in back-off and rows waiting for a slot',
    () => createExecutor({ initialDelayMs: 20_000, jitter: 'none' }),
    async (executor, signal) => [
      runBulk(Array.from({ length: 10 }, (_, i) => i), rejects, { executor, concurrency: 2, signal }),
    ],
  ],
];

describe('stop() leaves nothing behind (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(situations)('with %s: no timer pending and no listener on the caller signal', async (_name, make, situation) => {
    const executor = make();
    const controller = new AbortController();
    const calls = await situation(executor, controller.signal);
    calls.forEach((call) => call.catch(() => undefined));
    await vi.advanceTimersByTimeAsync(5);
    expect(vi.getTimerCount(), 'timers before stop()').toBeGreaterThan(0);

    executor.stop();
    await microtasks();
    await Promise.allSettled(calls);
    expect(vi.getTimerCount(), 'timers after stop()').toBe(0);
    expect(getEventListeners(controller.signal, 'abort'), 'listeners on the caller signal').toHaveLength(0);
  });

  it('with all of them at once on one executor', async () => {
    const executor = createExecutor({ failureThreshold: 3, attemptTimeoutMs: 5000, pacer: createPacer({ initialRatePerSecond: 1 }) });
    const controller = new AbortController();
    const { signal } = controller;
    const calls = [
      executor.execute(({ signal: s }) => new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason))), { signal }),
      executor.execute(rejects, { signal }), // waits for its pacing slot, then backs off
      executor.execute(() => 'paced', { signal }),
    ];
    calls.forEach((call) => call.catch(() => undefined));
    await vi.advanceTimersByTimeAsync(5);
    expect(vi.getTimerCount()).toBeGreaterThan(1);
    executor.stop();
    await microtasks();
    await Promise.allSettled(calls);
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('calls that ended normally leave no listener on a long-lived caller signal', async () => {
    const executor = createExecutor({ maxRetries: 1, initialDelayMs: 10, jitter: 'none' });
    const controller = new AbortController();
    const { signal } = controller;
    await executor.execute(() => 'ok', { signal });
    const retried = executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 'second'), { signal });
    await vi.advanceTimersByTimeAsync(10);
    await expect(retried).resolves.toBe('second');
    await executor.execute(async () => Promise.reject(httpError(400)), { signal }).catch(() => undefined);
    await runBulk([1, 2, 3], async (n) => n, { executor, signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    executor.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('stop() ends every call it owns', () => {
  const settledWithin = async (promise: Promise<unknown>, rounds = 50): Promise<boolean> => {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < rounds && !settled; i++) await new Promise((resolve) => setImmediate(resolve));
    return settled;
  };

  it('a call made without a signal or timeout (the fast path) is told to stop through its signal, and ends with its operation', async () => {
    // Documented trade-off: the fast path holds no per-call state (that is what makes it cheap), so stop() reaches its
    // operation through the signal only. An operation that ignores the signal keeps its call pending until it settles.
    const executor = createExecutor();
    let seen: AbortSignal | undefined;
    let finish!: (value: string) => void;
    const call = executor.execute(({ signal }) => {
      seen = signal;
      return new Promise<string>((resolve) => (finish = resolve));
    });
    executor.stop();
    expect(seen?.aborted).toBe(true);
    finish('late answer');
    await expect(call).resolves.toBe('late answer');
    const honouring = executor.execute(() => 'never runs');
    await expect(honouring).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('runBulk over an executor stopped mid-run ends every row, even rows whose task ignores its signal', async () => {
    const executor = createExecutor();
    const run = runBulk([1, 2, 3, 4], () => new Promise<number>(() => {}), { executor, concurrency: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    executor.stop();
    expect(await settledWithin(run), 'the bulk run never ends').toBe(true);
    const report = await run;
    expect(report.succeeded + report.failed).toBe(4);
  });
});

interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds between the fixture's "stopped" line and the process exit, or `null` when it had to be killed. */
  readonly lingeredMs: number | null;
}

/** Spawns a fixture; kills it (by its own pid) when it has not exited `graceMs` after printing its line. */
function runFixture(args: readonly string[], graceMs: number, overallMs = 8000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let printedAt: number | null = null;
    let killed = false;
    const kill = (): void => {
      if (child.exitCode === null && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const overall = setTimeout(kill, overallMs);
    let grace: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (printedAt === null && stdout.includes('\n')) {
        printedAt = Date.now();
        grace = setTimeout(kill, graceMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(overall);
      clearTimeout(grace);
      resolve({ code, stdout, stderr, lingeredMs: killed || printedAt === null ? null : Date.now() - printedAt });
    });
  });
}

describe('a process that used executors exits by itself after stop()', () => {
  const fixture = 'test/reliability/fixtures/exitsByItself.ts';

  it('with calls in back-off, an open circuit, a pacing wait, an honoured attempt timeout and a bulk run', async () => {
    const result = await runFixture(['--import', 'tsx', fixture, 'backoff', 'open', 'pacing', 'timeout-honoured', 'bulk'], 2000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ stopped: 5, settled: 7 });
    expect(result.lingeredMs, 'the process was killed: something kept the event loop alive').not.toBeNull();
    expect(result.lingeredMs!).toBeLessThan(2000);
  }, 10_000);

  it('with a circuit shared across tabs, a trial running under a renewed lease, and a shared pacer', async () => {
    const result = await runFixture(['--import', 'tsx', fixture, 'shared'], 2000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ stopped: 2, settled: 1 });
    expect(result.lingeredMs, 'the process was killed: a channel or the lease timer outlived stop()').not.toBeNull();
  }, 10_000);

  it('with an attempt timeout pending on an operation that ignores its signal', async () => {
    const result = await runFixture(['--import', 'tsx', fixture, 'timeout-ignored'], 2000);
    expect(result.stderr).toBe('');
    expect(result.lingeredMs, 'the process was killed: the 30 s attempt timer outlived stop()').not.toBeNull();
    expect(result.code).toBe(0);
  }, 10_000);
});

describe('heap', () => {
  it('100,000 executions (successes, retried successes, circuit rejections) leave the heap within 5 MB', async () => {
    const result = await runFixture(['--expose-gc', '--import', 'tsx', 'test/reliability/fixtures/heap.ts', '100000'], 2000, 25_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const figure = JSON.parse(result.stdout) as { executions: number; heapBeforeBytes: number; heapAfterBytes: number; deltaBytes: number };
    console.log(`heap figure: ${JSON.stringify(figure)} (${(figure.deltaBytes / 1024).toFixed(0)} KiB after ${figure.executions} executions)`);
    expect(figure.executions).toBe(100_000);
    expect(figure.deltaBytes).toBeLessThan(5 * 1024 * 1024);
  }, 30_000);
});
