import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, type Actor } from 'xstate';
import {
  circuitBreakerMachine,
  type CircuitPolicy,
  type FailureRateWindow,
} from '../../machines/circuitBreaker.machine.js';
import {
  computeBackoff,
  defaultRetryPolicy,
  retryMachine,
  type JitterStrategy,
  type RetryPolicy,
} from '../../machines/retry.machine.js';

const NUM_RUNS = 300;
const START_MS = 1_000_000;

// ---------------------------------------------------------------------------------------------------------------------
// Circuit: valid policies (as the executor's option validation accepts them) and arbitrary event sequences.

const failureRateArb: fc.Arbitrary<FailureRateWindow | null> = fc.oneof(
  fc.constant(null),
  fc
    .record({ size: fc.integer({ min: 1, max: 6 }), threshold: fc.double({ min: 0.1, max: 1, noNaN: true }) })
    .chain(({ size, threshold }) =>
      fc.integer({ min: 1, max: size }).map((minimumCalls): FailureRateWindow => ({ kind: 'count', size, threshold, minimumCalls })),
    ),
  fc
    .record({
      windowMs: fc.integer({ min: 1, max: 200 }),
      threshold: fc.double({ min: 0.1, max: 1, noNaN: true }),
      minimumCalls: fc.integer({ min: 1, max: 6 }),
    })
    .map((w): FailureRateWindow => ({ kind: 'time', ...w })),
);

const circuitPolicyArb: fc.Arbitrary<CircuitPolicy> = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    failureRate: failureRateArb,
    openDurationMs: fc.integer({ min: 1, max: 100 }),
    openBackoffMultiplier: fc.double({ min: 1, max: 3, noNaN: true }),
    capFactor: fc.integer({ min: 1, max: 5 }),
    halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
    // Below the longest Retry-After the commands carry (300 ms) in some runs, so that the cap is exercised.
    maxServerWaitMs: fc.integer({ min: 1, max: 400 }),
  })
  .map(({ capFactor, ...p }) => ({ ...p, maxOpenDurationMs: p.openDurationMs * capFactor, trialTimeoutMs: null }));

/** `staleBy` 0 is the current epoch; k > 0 a call admitted k state entries ago (a late result). */
const staleByArb = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 });
const retryAfterArb = fc.option(fc.integer({ min: 0, max: 300 }), { nil: null, freq: 2 });

type CircuitCommand =
  | { kind: 'acquire' }
  | { kind: 'success'; staleBy: number }
  | { kind: 'failure'; staleBy: number; retryAfterMs: number | null }
  | { kind: 'ignored'; staleBy: number }
  | { kind: 'tick'; ms: number }
  | { kind: 'reset' }
  | { kind: 'isolate' }
  | { kind: 'release' }
  /** An opening or a close observed elsewhere (storage after a reload, another tab). */
  | { kind: 'adoptOpen'; agoMs: number; durationMs: number; reopenCount: number }
  | { kind: 'adoptClosed' };

/** Up to 80 commands; TRY_ACQUIRE comes in bursts of 1–4 (callers arriving together at a half-open circuit). */
function circuitCommandsArb(options: { ignoredStaleOnly?: boolean } = {}): fc.Arbitrary<CircuitCommand[]> {
  const ignoredStaleBy = options.ignoredStaleOnly ? fc.integer({ min: 1, max: 3 }) : staleByArb;
  const acquireBurst = fc.integer({ min: 1, max: 4 }).map((n): CircuitCommand[] => Array.from({ length: n }, () => ({ kind: 'acquire' })));
  // A trial that ends without a verdict (aborted, or a 4xx): it gives its slot back.
  const trialGivenBack = fc.constant<CircuitCommand[]>(
    options.ignoredStaleOnly ? [{ kind: 'acquire' }] : [{ kind: 'acquire' }, { kind: 'ignored', staleBy: 0 }],
  );
  const command: fc.Arbitrary<CircuitCommand> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('success' as const), staleBy: staleByArb }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('failure' as const), staleBy: staleByArb, retryAfterMs: retryAfterArb }), weight: 6 },
    { arbitrary: fc.record({ kind: fc.constant('ignored' as const), staleBy: ignoredStaleBy }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 300 }) }), weight: 3 },
    // Longer than any open duration here (<= 500 ms) or Retry-After (<= 300 ms): an open circuit half-opens.
    { arbitrary: fc.constant({ kind: 'tick' as const, ms: 1_000 }), weight: 2 },
    { arbitrary: fc.constant({ kind: 'reset' as const }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'isolate' as const }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'release' as const }), weight: 2 },
    {
      arbitrary: fc.record({
        kind: fc.constant('adoptOpen' as const),
        agoMs: fc.integer({ min: 0, max: 1_000 }),
        durationMs: fc.integer({ min: 1, max: 500 }),
        reopenCount: fc.integer({ min: 0, max: 3 }),
      }),
      weight: 1,
    },
    { arbitrary: fc.constant({ kind: 'adoptClosed' as const }), weight: 1 },
  );
  return fc
    .array(
      fc.oneof(
        { arbitrary: command.map((c) => [c]), weight: 6 },
        { arbitrary: acquireBurst, weight: 2 },
        { arbitrary: trialGivenBack, weight: 1 },
      ),
      { maxLength: 50, size: 'max' },
    )
    .map((groups) => groups.flat().slice(0, 80));
}

type CircuitActor = Actor<typeof circuitBreakerMachine>;

/** A started circuit, and the count of `admitted` it has emitted so far (one per call it let run). */
function startCircuit(policy: CircuitPolicy): { actor: CircuitActor; clock: SimulatedClock; admitted: () => number } {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const actor = createActor(circuitBreakerMachine, { clock, input: { policy } });
  let admitted = 0;
  actor.on('admitted', () => {
    admitted++;
  });
  actor.start();
  return { actor, clock, admitted: () => admitted };
}

function apply(actor: CircuitActor, clock: SimulatedClock, command: CircuitCommand): void {
  const epoch = actor.getSnapshot().context.epoch;
  const at = clock.now();
  switch (command.kind) {
    case 'acquire':
      return actor.send({ type: 'TRY_ACQUIRE' });
    case 'success':
      return actor.send({ type: 'SUCCESS', at, epoch: epoch - command.staleBy });
    case 'failure':
      return actor.send({ type: 'FAILURE', at, epoch: epoch - command.staleBy, retryAfterMs: command.retryAfterMs });
    case 'ignored':
      return actor.send({ type: 'IGNORED', epoch: epoch - command.staleBy });
    case 'tick':
      return clock.increment(command.ms);
    case 'reset':
      return actor.send({ type: 'RESET' });
    case 'isolate':
      return actor.send({ type: 'ISOLATE', at });
    case 'release':
      return actor.send({ type: 'RELEASE' });
    case 'adoptOpen':
      return actor.send({
        type: 'ADOPT_OPEN',
        at,
        openedAt: at - command.agoMs,
        openDurationMs: command.durationMs,
        reopenCount: command.reopenCount,
      });
    case 'adoptClosed':
      return actor.send({ type: 'ADOPT_CLOSED' });
  }
}

/** Totals over all runs, to show the generator reaches the interesting cases. */
interface HalfOpenTotals {
  granted: number;
  denied: number;
  givenBack: number;
}

/**
 * Counts, per half-open epoch of one actor: trial admissions granted (the `admitted` the machine emitted), and slots
 * given back by a current IGNORED.
 */
class HalfOpenLedger {
  readonly admitted = new Map<number, number>();
  readonly released = new Map<number, number>();

  constructor(private readonly totals: HalfOpenTotals) {}

  record(
    before: ReturnType<CircuitActor['getSnapshot']>,
    after: ReturnType<CircuitActor['getSnapshot']>,
    command: CircuitCommand,
    grants: number,
  ): void {
    if (before.value === 'closed') {
      // Closed admits every call that asks, and only those.
      expect(grants).toBe(command.kind === 'acquire' ? 1 : 0);
      return;
    }
    if (before.value !== 'halfOpen') {
      expect(grants, `admission granted in ${String(before.value)}`).toBe(0);
      return;
    }
    const epoch = before.context.epoch;
    if (grants > 0) {
      expect(command.kind).toBe('acquire');
      expect(grants).toBe(1);
      this.admitted.set(epoch, (this.admitted.get(epoch) ?? 0) + 1);
      this.totals.granted++;
    } else if (command.kind === 'acquire') {
      this.totals.denied++;
    }
    // A tick past the trial timeout starts a new half-open period (a new epoch): that frees slots without a give-back.
    if (after.value === 'halfOpen' && after.context.epoch === epoch && after.context.trialsInFlight < before.context.trialsInFlight) {
      expect(command).toMatchObject({ kind: 'ignored', staleBy: 0 });
      this.released.set(epoch, (this.released.get(epoch) ?? 0) + 1);
      this.totals.givenBack++;
    }
  }
}

describe('circuit invariants (fast-check, real machine on a SimulatedClock)', () => {
  /**
   * IGNORED gives a trial slot back (so half-open cannot get stuck), and the slot may then be granted again in the same
   * epoch: admissions per epoch are bounded by halfOpenMaxCalls plus those give-backs, concurrency by halfOpenMaxCalls.
   */
  it('(a) trialsInFlight never exceeds halfOpenMaxCalls; admissions per half-open epoch <= halfOpenMaxCalls + slots given back', () => {
    const totals: HalfOpenTotals = { granted: 0, denied: 0, givenBack: 0 };
    fc.assert(
      fc.property(circuitPolicyArb, circuitCommandsArb(), (policy, commands) => {
        const { actor, clock, admitted: emitted } = startCircuit(policy);
        const ledger = new HalfOpenLedger(totals);
        for (const command of commands) {
          const before = actor.getSnapshot();
          const grantsBefore = emitted();
          apply(actor, clock, command);
          const after = actor.getSnapshot();
          ledger.record(before, after, command, emitted() - grantsBefore);
          expect(after.context.trialsInFlight).toBeLessThanOrEqual(policy.halfOpenMaxCalls);
          if (after.value === 'halfOpen') {
            const epoch = after.context.epoch;
            const admitted = ledger.admitted.get(epoch) ?? 0;
            const released = ledger.released.get(epoch) ?? 0;
            expect(after.context.trialsInFlight).toBe(admitted - released);
            expect(admitted).toBeLessThanOrEqual(policy.halfOpenMaxCalls + released);
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
    // The generator does reach the interesting cases.
    expect(totals.granted).toBeGreaterThan(50);
    expect(totals.denied).toBeGreaterThan(30);
    expect(totals.givenBack).toBeGreaterThan(10);
  });

  it('(a′) without a current-epoch IGNORED, one half-open epoch grants at most halfOpenMaxCalls admissions', () => {
    const totals: HalfOpenTotals = { granted: 0, denied: 0, givenBack: 0 };
    fc.assert(
      fc.property(circuitPolicyArb, circuitCommandsArb({ ignoredStaleOnly: true }), (policy, commands) => {
        const { actor, clock, admitted: emitted } = startCircuit(policy);
        const ledger = new HalfOpenLedger(totals);
        for (const command of commands) {
          const before = actor.getSnapshot();
          const grantsBefore = emitted();
          apply(actor, clock, command);
          ledger.record(before, actor.getSnapshot(), command, emitted() - grantsBefore);
        }
        for (const admitted of ledger.admitted.values()) expect(admitted).toBeLessThanOrEqual(policy.halfOpenMaxCalls);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(totals.granted).toBeGreaterThan(50);
    expect(totals.denied).toBeGreaterThan(30);
    expect(totals.givenBack).toBe(0);
  });

  it('(b) closed opens exactly at the N-th consecutive current-epoch FAILURE, not before', () => {
    const closedCommandArb = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('failure' as const), staleBy: staleByArb, retryAfterMs: retryAfterArb }), weight: 6 },
      { arbitrary: fc.record({ kind: fc.constant('success' as const), staleBy: staleByArb }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('ignored' as const), staleBy: staleByArb }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'acquire' as const }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'release' as const }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'reset' as const }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 10_000 }) }), weight: 1 },
    );
    let opened = 0;
    let lateFailures = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(closedCommandArb, { maxLength: 40, size: 'max' }), (threshold, commands) => {
        const { actor, clock } = startCircuit({
          failureThreshold: threshold,
          failureRate: null,
          openDurationMs: 60_000,
          openBackoffMultiplier: 1,
          maxOpenDurationMs: 60_000,
          halfOpenMaxCalls: 1,
          trialTimeoutMs: null,
          maxServerWaitMs: 60_000,
        });
        let consecutive = 0;
        for (const command of commands) {
          if (command.kind === 'failure' && command.staleBy === 0) consecutive++;
          if (command.kind === 'failure' && command.staleBy > 0) lateFailures++;
          if ((command.kind === 'success' && command.staleBy === 0) || command.kind === 'reset') consecutive = 0;
          apply(actor, clock, command);
          const snapshot = actor.getSnapshot();
          if (consecutive < threshold) {
            expect(snapshot.value).toBe('closed');
            expect(snapshot.context.consecutiveFailures).toBe(consecutive);
          } else {
            expect(snapshot.value).toBe('open');
            opened++;
            return;
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(opened).toBeGreaterThan(NUM_RUNS / 4);
    expect(lateFailures).toBeGreaterThan(50);
  });

  it('(e) the open duration is never shorter than the opening FAILURE’s retryAfterMs up to maxServerWaitMs (and the circuit stays open that long)', () => {
    let openingsWithRetryAfter = 0;
    let openingsCapped = 0;
    fc.assert(
      fc.property(circuitPolicyArb, circuitCommandsArb(), (policy, commands) => {
        const { actor, clock } = startCircuit(policy);
        for (const command of commands) {
          const before = actor.getSnapshot();
          apply(actor, clock, command);
          const after = actor.getSnapshot();
          if (command.kind !== 'failure' || before.value === 'open' || after.value !== 'open') continue;
          // A server asking for longer than maxServerWaitMs is honoured only that long.
          const retryAfterMs = Math.min(command.retryAfterMs ?? 0, policy.maxServerWaitMs);
          if (retryAfterMs > 0) openingsWithRetryAfter++;
          if ((command.retryAfterMs ?? 0) > Math.max(policy.maxServerWaitMs, policy.maxOpenDurationMs)) {
            openingsCapped++;
            expect(after.context.openDurationMs).toBeLessThan(command.retryAfterMs!);
          }
          expect(after.context.openedAt).toBe(clock.now());
          expect(after.context.openDurationMs).toBeGreaterThanOrEqual(retryAfterMs);
          expect(after.context.openDurationMs).toBeGreaterThanOrEqual(policy.openDurationMs);
          // Never longer than the cap unless the server asked for longer, and then no longer than maxServerWaitMs.
          const cap = Math.max(policy.maxOpenDurationMs, after.context.serverRetryAfterMs ?? 0);
          expect(after.context.openDurationMs).toBeLessThanOrEqual(cap);
          expect(after.context.serverRetryAfterMs ?? 0).toBeLessThanOrEqual(policy.maxServerWaitMs);
          if (retryAfterMs > 0) {
            clock.increment(retryAfterMs - 1);
            expect(actor.getSnapshot().value, 'still open 1 ms before the Retry-After is over').toBe('open');
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(openingsWithRetryAfter).toBeGreaterThan(50);
    expect(openingsCapped).toBeGreaterThan(10);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Retry: computeBackoff and the delay the machine chooses.

const JITTERS: JitterStrategy[] = ['none', 'proportional', 'full', 'equal', 'decorrelated'];
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/**
 * Valid retry policies, as the executor's option validation accepts them (finite, maxDelayMs >= initialDelayMs).
 * `wholeMs` keeps the delays whole milliseconds; otherwise any finite number is allowed (as the validation does).
 */
const retryPolicyArbOf = ({ wholeMs, maxMs = 1_000_000 }: { wholeMs: boolean; maxMs?: number }): fc.Arbitrary<RetryPolicy> =>
  fc
    .record({
      maxRetries: fc.integer({ min: 0, max: 6 }),
      initialDelayMs: wholeMs ? fc.integer({ min: 0, max: maxMs / 10 }) : fc.double({ min: 0, max: maxMs / 10, noNaN: true }),
      extraMaxDelayMs: wholeMs ? fc.integer({ min: 0, max: maxMs }) : fc.double({ min: 0, max: maxMs, noNaN: true }),
      multiplier: fc.double({ min: 1, max: 100, noNaN: true }),
      jitter: fc.constantFrom(...JITTERS),
      jitterFactor: fc.double({ min: 0, max: 1, noNaN: true }),
      respectRetryAfter: fc.boolean(),
      maxRetryAfterMs: fc.double({ min: 0, max: 200_000, noNaN: true }),
      rateLimitRetries: fc.integer({ min: 0, max: 5 }),
    })
    .map(({ extraMaxDelayMs, ...p }) => ({ ...p, maxDelayMs: p.initialDelayMs + extraMaxDelayMs }));
const retryPolicyArb = retryPolicyArbOf({ wholeMs: true });

type RetryActor = Actor<typeof retryMachine>;

function startRetry(policy: Partial<RetryPolicy>): { actor: RetryActor; clock: SimulatedClock } {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const actor = createActor(retryMachine, { clock, input: { policy } });
  actor.start();
  return { actor, clock };
}

describe('retry invariants (fast-check)', () => {
  it('(c) computeBackoff is finite, >= 0 and <= maxDelayMs for every valid policy (whole ms), jitter and draw', () => {
    fc.assert(
      fc.property(
        retryPolicyArb,
        fc.integer({ min: 1, max: 1_000 }),
        randomArb,
        fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
        (policy, retry, random, previousDelayMs) => {
          const delay = computeBackoff(policy, retry, random, previousDelayMs);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  /**
   * The validation accepts any finite maxDelayMs (e.g. 100.5, or a Retry-After converted from seconds), and the TSDoc
   * of computeBackoff promises `<= maxDelayMs`: rounding after capping must not push the delay above the cap.
   */
  it('(c) computeBackoff stays <= maxDelayMs when the policy delays are not whole milliseconds', () => {
    const policy: RetryPolicy = { ...defaultRetryPolicy, jitter: 'none', initialDelayMs: 100.5, maxDelayMs: 100.5 };
    expect(computeBackoff(policy, 1, 0, 0)).toBeLessThanOrEqual(100.5);
    fc.assert(
      fc.property(retryPolicyArbOf({ wholeMs: false }), fc.integer({ min: 1, max: 1_000 }), randomArb, (p, retry, random) => {
        const delay = computeBackoff(p, retry, random, 0);
        expect(Number.isFinite(delay) && delay >= 0).toBe(true);
        expect(delay).toBeLessThanOrEqual(p.maxDelayMs);
      }),
      { numRuns: 2_000 },
    );
  });

  it('(c) the chosen delayMs is finite and never undercuts the Retry-After when respectRetryAfter', () => {
    let waitsOnServer = 0;
    fc.assert(
      fc.property(
        retryPolicyArbOf({ wholeMs: true, maxMs: 100_000 }).map((p) => ({ ...p, respectRetryAfter: true })),
        fc.array(fc.record({ retryAfterMs: fc.option(fc.integer({ min: 0, max: 250_000 }), { nil: null }), random: randomArb }), {
          minLength: 1,
          maxLength: 8,
        }),
        (policy, failures) => {
          const { actor, clock } = startRetry(policy);
          for (const { retryAfterMs, random } of failures) {
            const { attempt } = actor.getSnapshot().context;
            actor.send({ type: 'FAILED', error: new Error('503'), retryable: true, retryAfterMs, random });
            const snapshot = actor.getSnapshot();
            const tooLong = retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs;
            if (tooLong || attempt > policy.maxRetries) {
              expect(snapshot.value).toBe('exhausted');
              return;
            }
            expect(snapshot.value).toBe('backingOff');
            const { delayMs } = snapshot.context;
            expect(Number.isFinite(delayMs)).toBe(true);
            expect(delayMs).toBeGreaterThanOrEqual(retryAfterMs ?? 0);
            // (The back-off's own upper bound is computeBackoff's property above.)
            if ((retryAfterMs ?? 0) > policy.maxDelayMs) waitsOnServer++;
            clock.increment(delayMs);
            expect(actor.getSnapshot()).toMatchObject({ value: 'attempting', context: { attempt: attempt + 1 } });
          }
        },
      ),
      // More runs than the others: at NUM_RUNS the count of waits the server sets below lands at 10 or fewer now and
      // then, and this check is there to show such waits were exercised at all.
      { numRuns: 1_000 },
    );
    expect(waitsOnServer).toBeGreaterThan(10);
  });

  it('(c) without respectRetryAfter the delay is the back-off alone (<= maxDelayMs)', () => {
    fc.assert(
      fc.property(
        retryPolicyArb.map((p) => ({ ...p, respectRetryAfter: false, maxRetries: Math.max(1, p.maxRetries) })),
        fc.integer({ min: 0, max: 10_000_000 }),
        randomArb,
        (policy, retryAfterMs, random) => {
          const { actor } = startRetry(policy);
          actor.send({ type: 'FAILED', error: new Error('429'), retryable: true, retryAfterMs, random });
          expect(actor.getSnapshot().value).toBe('backingOff');
          expect(actor.getSnapshot().context.delayMs).toBe(computeBackoff(policy, 1, random, 0));
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('(d) the default policy backs off 100 → 200 → 400 ms within ±20 %, then gives up after 3 retries', () => {
    fc.assert(
      fc.property(fc.tuple(randomArb, randomArb, randomArb), (draws) => {
        const { actor, clock } = startRetry({});
        const delays: number[] = [];
        for (const random of draws) {
          actor.send({ type: 'FAILED', error: new Error('503'), retryable: true, retryAfterMs: null, random });
          expect(actor.getSnapshot().value).toBe('backingOff');
          delays.push(actor.getSnapshot().context.delayMs);
          clock.increment(actor.getSnapshot().context.delayMs);
        }
        [100, 200, 400].forEach((nominal, i) => {
          expect(delays[i]).toBeGreaterThanOrEqual(nominal * 0.8);
          expect(delays[i]).toBeLessThanOrEqual(nominal * 1.2);
        });
        actor.send({ type: 'FAILED', error: new Error('503'), retryable: true, retryAfterMs: null, random: 0.5 });
        expect(actor.getSnapshot()).toMatchObject({ value: 'exhausted', context: { attempt: 4 } });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('(d) with the middle draw the default policy gives exactly 100, 200, 400 ms', () => {
    expect([1, 2, 3].map((retry) => computeBackoff(defaultRetryPolicy, retry, 0.5, 0))).toEqual([100, 200, 400]);
  });
});
