import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createExecutor, createPacer, type Pacer } from '../../src/index.js';
import { PacedRequest } from '../../src/executor/PacedRequest.js';
import { createTestClock, httpError } from '../support/clock.js';
import { recordingPacer } from '../support/executorHelpers.js';

/**
 * Whatever happens to a call (a success, a 429, a 5xx, a lost connection, a throwing predicate, an abort while it
 * waits for its slot or while it runs, a timeout, an open circuit, `stop()`), the pacer hears of each of its requests
 * exactly once: a slot never used is given back, a request that went is ended by its answer. A request told twice
 * would make a shared pacer count one request too few in flight; one never told, one too many, for good.
 */

type Outcome = 'ok' | '429' | '503' | 'network' | 'throwing-predicate' | 'abort-while-running' | 'abort-while-queued' | 'hang';

const OUTCOMES: readonly Outcome[] = ['ok', '429', '503', 'network', 'throwing-predicate', 'abort-while-running', 'abort-while-queued', 'hang'];

const callsArb = fc.array(
  fc.record({
    outcomes: fc.array(fc.constantFrom(...OUTCOMES), { minLength: 1, maxLength: 4 }),
    startsAfterMs: fc.integer({ min: 0, max: 400 }),
  }),
  { minLength: 1, maxLength: 10 },
);

const scenarioArb = fc.record({
  calls: callsArb,
  /** Waits the reserve-only pacer hands out, in order (0: go now). */
  waits: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }),
  /** When `stop()` ends everything still running, if at all. */
  stopAfterMs: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null }),
  /** Opens the circuit by hand for a while, so that calls are turned away while they wait or between attempts. */
  isolateAtMs: fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: null }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

/** Runs the scenario's calls on one executor and returns once every call has settled. */
async function runScenario(scenario: Scenario, makePacer: (clock: ReturnType<typeof createTestClock>) => Pacer): Promise<void> {
  const clock = createTestClock();
  const pacer = makePacer(clock);
  const executor = createExecutor({
    clock,
    pacer,
    retryBudget: false,
    maxRetries: 2,
    attemptTimeoutMs: 1_000,
    idempotent: true,
    random: () => 0.5,
    shouldRetry: (error) => {
      if ((error as Error).message === 'throwing-predicate') throw new Error('predicate broke');
      return undefined as unknown as boolean; // the default decision
    },
  });
  const settled: Promise<unknown>[] = [];
  for (const { outcomes, startsAfterMs } of scenario.calls) {
    const controller = new AbortController();
    let attempt = 0;
    const start = (): void => {
      settled.push(
        executor
          .execute(
            async ({ signal }) => {
              const outcome = outcomes[Math.min(attempt++, outcomes.length - 1)]!;
              if (outcome === 'ok') return 'ok';
              if (outcome === '429') throw httpError(429);
              if (outcome === '503') throw httpError(503);
              if (outcome === 'network') throw new TypeError('fetch failed');
              if (outcome === 'throwing-predicate') throw new Error('throwing-predicate');
              if (outcome === 'abort-while-running') queueMicrotask(() => controller.abort(new Error('left')));
              // Runs until aborted, timed out or stopped.
              return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
            },
            { signal: controller.signal },
          )
          .catch(() => undefined),
      );
      if (outcomes[0] === 'abort-while-queued') controller.abort(new Error('left before its slot'));
    };
    if (startsAfterMs === 0) start();
    else clock.setTimeout(start, startsAfterMs);
  }
  if (scenario.stopAfterMs !== null) clock.setTimeout(() => executor.stop(), scenario.stopAfterMs);
  if (scenario.isolateAtMs !== null) {
    clock.setTimeout(() => {
      const hold = executor.isolate();
      clock.setTimeout(() => hold.dispose(), 500);
    }, scenario.isolateAtMs);
  }
  // Long enough for every wait, back-off, timeout and open period of these calls.
  for (let i = 0; i < 200 && settled.length < scenario.calls.length; i++) await clock.advance(50);
  for (let i = 0; i < 100; i++) await clock.advance(1_000);
  await Promise.all(settled);
  executor.stop();
}

describe('every paced request ends exactly once', () => {
  it('a pacer with only reserve(): every reservation is given back or ended by an answer, once', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const pacer = recordingPacer([...scenario.waits]);
        await runScenario(scenario, () => pacer);
        const reserved = pacer.calls.filter((call) => call === 'reserve').length;
        const ended = pacer.calls.filter((call) => call !== 'reserve').length;
        expect(ended).toBe(reserved);
      }),
      { numRuns: 150 },
    );
  });

  it('the built-in pacer, whose slots move while calls wait: nothing is left counted in flight', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        let pacer: Pacer | undefined;
        // Slow enough that most calls wait for a slot.
        await runScenario(scenario, (clock) => (pacer = createPacer({ clock, initialRatePerSecond: 5 })));
        expect(pacer!.getState()).toMatchObject({ inFlight: 0 });
      }),
      { numRuns: 100 },
    );
  });

  it('a request ends at its first ending: later ones, of any kind, tell the pacer nothing', () => {
    const clock = createTestClock();
    const sent = recordingPacer([0]);
    const request = PacedRequest.take(sent, clock)!;
    expect(request.queued).toBe(false);
    request.succeeded('value');
    request.failed(httpError(429), { rateLimited: true, retryable: true, countsAsFailure: true, retryAfterMs: null, status: 429, error: null, paced: false });
    request.abandon();
    expect(sent.calls).toEqual(['reserve', 'observeSuccess(undefined)']);

    const queued = recordingPacer([500]);
    const waiting = PacedRequest.take(queued, clock)!;
    expect(waiting.queued).toBe(true);
    expect(waiting.dueInMs()).toBe(500);
    waiting.succeeded('not sent: nothing to tell');
    waiting.abandon();
    waiting.abandon();
    waiting.send();
    expect(queued.calls).toEqual(['reserve', 'cancel']);
    expect(PacedRequest.take(undefined, clock)).toBeUndefined();
  });
});
