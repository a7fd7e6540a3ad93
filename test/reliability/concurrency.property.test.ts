/**
 * Concurrency: a thundering herd on a half-open circuit, and random interleavings of late results, through the
 * executor (the machine-level invariants are in test/machines/invariants.property.test.ts).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CircuitOpenError, createExecutor, type Executor, type ExecutorStats } from '../../src/index.js';
import { createRecordingClock, flush } from './support/recordingClock.js';

const executors: Executor[] = [];
afterEach(() => {
  for (const e of executors.splice(0)) e.stop();
});

function httpError(status: number): Error & { status: number } {
  return Object.assign(new Error(`HTTP ${status}`), { status });
}

function expectCountersConsistent(stats: ExecutorStats): void {
  expect(stats.calls, JSON.stringify(stats)).toBe(stats.succeeded + stats.failed + stats.rejected + stats.aborted);
}

describe('1,000 concurrent calls on a half-open circuit', () => {
  it.each([
    [1, 'fast path'],
    [3, 'fast path'],
    [10, 'fast path'],
    [1, 'with a caller signal'],
    [3, 'with a caller signal'],
    [10, 'with a caller signal'],
  ] as const)('halfOpenMaxCalls = %i (%s): exactly that many trials run, the rest are rejected untried', async (k, path) => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock, failureThreshold: 1, halfOpenMaxCalls: k, openDurationMs: 1000, maxRetries: 0 });
    executors.push(executor);
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await clock.advance(1000);
    expect(executor.getCircuitState().state).toBe('halfOpen');

    const controller = new AbortController();
    const releases: Array<(value: string) => void> = [];
    let started = 0;
    const calls = Array.from({ length: 1000 }, () =>
      executor.execute(
        () => {
          started++;
          return new Promise<string>((resolve) => releases.push(resolve));
        },
        path === 'fast path' ? undefined : { signal: controller.signal },
      ),
    );
    // Admission is decided synchronously in execute(): no interleaving can let an extra trial in.
    expect(started).toBe(k);
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: k, isOpen: true });

    for (const release of releases) release('trial ok');
    const outcomes = await Promise.allSettled(calls);
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(fulfilled).toHaveLength(k);
    expect(rejected).toHaveLength(1000 - k);
    expect(rejected.every((r) => r instanceof CircuitOpenError && r.state === 'halfOpen')).toBe(true);
    expect(executor.getCircuitState()).toMatchObject({ state: 'closed', trialsInFlight: 0 });
    expect(executor.getStats()).toMatchObject({ calls: 1001, succeeded: k, failed: 1, rejected: 1000 - k, aborted: 0 });
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Random interleavings of late results.

type Ending = 'success' | 'fail500' | 'fail404' | 'fail429' | 'abort';

type Step =
  | { kind: 'start' }
  | { kind: 'end'; pick: number; ending: Ending }
  | { kind: 'tick'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constant<Step>({ kind: 'start' }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('end' as const),
      pick: fc.nat({ max: 1000 }),
      ending: fc.constantFrom<Ending>('success', 'fail500', 'fail500', 'fail404', 'fail429', 'abort'),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 150 }) }), weight: 3 },
);

interface Call {
  readonly id: number;
  readonly controller: AbortController;
  /** The attempt running now, if any (a call in back-off has none). */
  current: { resolve: (value: string) => void; reject: (error: unknown) => void } | null;
  /** The circuit episode (state entry) in which the call was last admitted. */
  episode: number;
  settled: boolean;
}

describe('late results in any order never corrupt the circuit', () => {
  it('property: trial slots, open timer, liveness and counters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1 }),
        fc.array(stepArb, { minLength: 1, maxLength: 60 }),
        async (failureThreshold, halfOpenMaxCalls, maxRetries, steps) => {
          const clock = createRecordingClock();
          const openDurationMs = 100;
          const executor = createExecutor({
            clock,
            failureThreshold,
            halfOpenMaxCalls,
            maxRetries,
            openDurationMs,
            initialDelayMs: 30,
            jitter: 'none',
            pacer: false,
            retryBudget: false,
          });
          executors.push(executor);

          // An episode is one state entry: a new state, or a half-open period started again by the trial timeout.
          let episode = executor.circuit.getSnapshot().context.epoch;
          let openedEpisodeDeadline: number | null = null;
          executor.circuit.subscribe((snapshot) => {
            if (snapshot.context.epoch !== episode) {
              episode = snapshot.context.epoch;
              openedEpisodeDeadline = snapshot.value === 'open' ? executor.getCircuitState().nextAttemptAt : null;
            }
          });

          const calls: Call[] = [];
          const startCall = (): void => {
            const call: Call = { id: calls.length, controller: new AbortController(), current: null, episode: -1, settled: false };
            calls.push(call);
            executor
              .execute(
                () => {
                  call.episode = episode;
                  return new Promise<string>((resolve, reject) => (call.current = { resolve, reject }));
                },
                { signal: call.controller.signal, idempotent: true },
              )
              .then(
                () => undefined,
                () => undefined,
              )
              .finally(() => {
                call.settled = true;
                call.current = null;
              });
          };
          const endCall = (pick: number, ending: Ending): void => {
            const running = calls.filter((c) => !c.settled && (c.current !== null || ending === 'abort'));
            if (running.length === 0) return;
            const call = running[pick % running.length]!;
            const attempt = call.current;
            call.current = null;
            if (ending === 'abort') call.controller.abort(new Error(`caller ${call.id} left`));
            else if (ending === 'success') attempt?.resolve('ok');
            else attempt?.reject(httpError(ending === 'fail500' ? 500 : ending === 'fail404' ? 404 : 429));
          };

          const check = (): void => {
            const snapshot = executor.circuit.getSnapshot();
            const { trialsInFlight } = snapshot.context;
            expect(trialsInFlight).toBeGreaterThanOrEqual(0);
            expect(trialsInFlight).toBeLessThanOrEqual(halfOpenMaxCalls);
            const view = executor.getCircuitState();
            expect(view.trialsInFlight).toBeGreaterThanOrEqual(0);
            expect(view.trialsInFlight).toBeLessThanOrEqual(halfOpenMaxCalls);
            if (snapshot.value === 'halfOpen') {
              // Every slot taken belongs to a call admitted in this half-open episode that has not ended.
              const holders = calls.filter((c) => !c.settled && c.episode === episode).length;
              expect(trialsInFlight).toBe(holders);
            }
            if (snapshot.value === 'open') {
              // Late failures never move the trial time, and the timer fires on time.
              expect(view.nextAttemptAt).toBe(openedEpisodeDeadline);
              expect(clock.now()).toBeLessThan(view.nextAttemptAt!);
            }
            expect(snapshot.context.consecutiveFailures).toBeGreaterThanOrEqual(0);
          };

          for (const step of steps) {
            if (step.kind === 'start') startCall();
            else if (step.kind === 'end') endCall(step.pick, step.ending);
            else await clock.advance(step.ms);
            await flush();
            check();
          }

          // End everything still running (attempts in flight succeed, calls in back-off are let through time).
          for (let round = 0; round < 20 && calls.some((c) => !c.settled); round++) {
            for (const call of calls) if (call.current !== null) call.current.resolve('ok');
            await clock.advance(50);
            check();
          }
          expect(calls.every((c) => c.settled)).toBe(true);
          expectCountersConsistent(executor.getStats());

          // No stuck half-open: once time has passed, a new call is admitted and tried.
          await clock.advance(openDurationMs);
          let tried = false;
          await executor
            .execute(() => {
              tried = true;
              return 'fresh';
            })
            .catch(() => undefined);
          expect(tried, `state ${executor.getCircuitState().state} after every call ended`).toBe(true);
          expect(executor.getCircuitState().state).toBe('closed');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('every call is counted exactly once (calls = succeeded + failed + rejected + aborted)', () => {
  it('in a mixed run: successes, retried successes, failures, passes-through, rejections and aborts', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock, failureThreshold: 2, maxRetries: 1, jitter: 'none', initialDelayMs: 10 });
    executors.push(executor);
    await executor.execute(() => 1);
    const retried = executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(httpError(429)) : 2));
    await clock.advance(10);
    await retried;
    await executor.execute(async () => Promise.reject(httpError(404))).catch(() => undefined);
    const controller = new AbortController();
    const aborted = executor.execute(() => new Promise(() => {}), { signal: controller.signal }).catch(() => undefined);
    controller.abort();
    await aborted;
    for (let i = 0; i < 2; i++) await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    await executor.execute(() => 'rejected').catch(() => undefined);
    expect(executor.getStats()).toMatchObject({ calls: 7, succeeded: 2, failed: 3, rejected: 1, aborted: 1 });
    expectCountersConsistent(executor.getStats());
  });

  it('a call whose shouldRetry predicate throws is counted once', async () => {
    const executor = createExecutor({
      clock: createRecordingClock(),
      shouldRetry: () => {
        throw new Error('predicate bug');
      },
    });
    executors.push(executor);
    await executor.execute(async () => Promise.reject(httpError(429))).catch(() => undefined);
    expectCountersConsistent(executor.getStats());
  });

  it('a call whose isFailure predicate throws is counted once', async () => {
    const executor = createExecutor({
      clock: createRecordingClock(),
      isFailure: () => {
        throw new Error('predicate bug');
      },
    });
    executors.push(executor);
    await executor.execute(async () => Promise.reject(httpError(500))).catch(() => undefined);
    expectCountersConsistent(executor.getStats());
  });

  it('execute() with something that is not a function is counted once', async () => {
    const executor = createExecutor({ clock: createRecordingClock() });
    executors.push(executor);
    await executor.execute(42 as never).catch(() => undefined);
    expectCountersConsistent(executor.getStats());
  });
});
