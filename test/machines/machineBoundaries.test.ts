import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, type Actor } from 'xstate';
import { circuitBreakerMachine, type CircuitPolicy } from '../../machines/circuitBreaker.machine.js';
import { computeBackoff, defaultRetryPolicy, type RetryPolicy } from '../../machines/retry.machine.js';

/**
 * Behaviours the first mutation run (docs/mutation.md) showed no test pinned: each test below fails against the
 * surviving mutant it names. The mutants left alive are equivalent; docs/mutation.md gives the reason for each.
 */

const START_MS = 1_000_000;

type CircuitActor = Actor<typeof circuitBreakerMachine>;

function startCircuit(policy: Partial<CircuitPolicy>): { actor: CircuitActor; clock: SimulatedClock } {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const actor = createActor(circuitBreakerMachine, { clock, input: { policy } });
  actor.start();
  return { actor, clock };
}

const epochOf = (actor: CircuitActor): number => actor.getSnapshot().context.epoch;
const fail = (actor: CircuitActor, at: number, retryAfterMs: number | null = null): void =>
  actor.send({ type: 'FAILURE', at, epoch: epochOf(actor), retryAfterMs });
const succeed = (actor: CircuitActor, at: number): void => actor.send({ type: 'SUCCESS', at, epoch: epochOf(actor) });

/** Opens the circuit with one failure (failureThreshold 1) and lets the open timer run out. */
function halfOpen(actor: CircuitActor, clock: SimulatedClock): void {
  fail(actor, clock.now());
  expect(actor.getSnapshot().value).toBe('open');
  clock.increment(actor.getSnapshot().context.openDurationMs);
  expect(actor.getSnapshot().value).toBe('halfOpen');
}

describe('circuitBreakerMachine: behaviours the mutation run found unpinned', () => {
  // Mutants: recordSuccess and recordFailure `policy.failureRate === null` -> false (the outcome list would grow).
  it('without a failure-rate window no outcome history is kept, however many calls end (the snapshot stays small)', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 1_000, failureRate: null });
    for (let i = 0; i < 100; i++) succeed(actor, clock.now() + i);
    expect(actor.getSnapshot().context.outcomes).toEqual([]);
    for (let i = 0; i < 100; i++) fail(actor, clock.now() + i);
    expect(actor.getSnapshot()).toMatchObject({ value: 'closed', context: { consecutiveFailures: 100, outcomes: [] } });
  });

  // Mutant: recordSuccess stores `{}` instead of `{ at, failed: false }` (a success without a time never leaves the window).
  it('time window: a success older than windowMs has left the window and no longer dilutes the failure rate', () => {
    const { actor } = startCircuit({
      failureThreshold: 0,
      failureRate: { kind: 'time', windowMs: 1_000, threshold: 1, minimumCalls: 2 },
    });
    succeed(actor, START_MS);
    fail(actor, START_MS + 1_500); // the success is 1.5 s old: out of the window
    expect(actor.getSnapshot().value).toBe('closed'); // 1 call < minimumCalls
    fail(actor, START_MS + 1_600); // 2 of 2 calls in the window failed = 100 %
    expect(actor.getSnapshot()).toMatchObject({ value: 'open', context: { openedAt: START_MS + 1_600 } });
  });

  // Mutants: holdIsolation's `isolationHolds === 0 && event.type === 'ISOLATE'` -> true, `||`, and `isolationHolds === 0` -> true.
  it('isolated: openedAt is the time of the first ISOLATE; a second hold taken later does not move it', () => {
    const { actor, clock } = startCircuit({});
    actor.send({ type: 'ISOLATE', at: clock.now() });
    clock.increment(5_000);
    actor.send({ type: 'ISOLATE', at: clock.now() });
    expect(actor.getSnapshot()).toMatchObject({ value: 'isolated', context: { isolationHolds: 2, openedAt: START_MS } });
    actor.send({ type: 'RELEASE' });
    expect(actor.getSnapshot()).toMatchObject({ value: 'isolated', context: { isolationHolds: 1, openedAt: START_MS } });
  });

  // Mutants: the `clearFailureTime` action name -> '' on RESET in closed and in halfOpen (an unknown action is a no-op).
  describe('RESET forgets the last failure time', () => {
    it('from closed', () => {
      const { actor, clock } = startCircuit({ failureThreshold: 3 });
      fail(actor, clock.now());
      expect(actor.getSnapshot().context.lastFailureTime).toBe(START_MS);
      actor.send({ type: 'RESET' });
      expect(actor.getSnapshot()).toMatchObject({ value: 'closed', context: { consecutiveFailures: 0, lastFailureTime: null } });
    });

    it('from open', () => {
      const { actor, clock } = startCircuit({ failureThreshold: 1 });
      fail(actor, clock.now());
      actor.send({ type: 'RESET' });
      expect(actor.getSnapshot()).toMatchObject({ value: 'closed', context: { lastFailureTime: null } });
    });

    it('from halfOpen', () => {
      const { actor, clock } = startCircuit({ failureThreshold: 1, openDurationMs: 1_000 });
      halfOpen(actor, clock);
      expect(actor.getSnapshot().context.lastFailureTime).toBe(START_MS);
      actor.send({ type: 'RESET' });
      expect(actor.getSnapshot()).toMatchObject({ value: 'closed', context: { lastFailureTime: null } });
    });
  });

  // Mutant: the halfOpen FAILURE transition without 'recordFailure' (the action name -> '').
  it('a failed trial counts as a failure: lastFailureTime moves to it and consecutiveFailures goes up', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 1, openDurationMs: 1_000, openBackoffMultiplier: 2 });
    halfOpen(actor, clock);
    actor.send({ type: 'TRY_ACQUIRE' });
    fail(actor, clock.now());
    expect(actor.getSnapshot()).toMatchObject({
      value: 'open',
      context: { consecutiveFailures: 2, lastFailureTime: START_MS + 1_000, openedAt: START_MS + 1_000, reopenCount: 1 },
    });
  });
});

describe('computeBackoff: jitter formulas at draws other than the extremes', () => {
  const policy = (jitter: RetryPolicy['jitter']): RetryPolicy => ({
    ...defaultRetryPolicy,
    jitter,
    initialDelayMs: 100,
    multiplier: 2,
    maxDelayMs: 10_000,
  });

  // Mutants: the 'equal' case removed (falls through to decorrelated) or its label -> '', and every operator of
  // `exponential / 2 + (exponential / 2) * r`.
  it('equal jitter is half the exponential step plus a random share of the other half', () => {
    // Retry 3: the exponential step is 400 ms, so equal jitter spans 200–400 ms.
    expect([0, 0.25, 0.5, 0.999].map((r) => computeBackoff(policy('equal'), 3, r, 0))).toEqual([200, 250, 300, 400]);
  });

  // Mutant: `(upper - initialDelayMs) * r` -> `/ r`, which a draw close to 1 cannot tell apart.
  it('decorrelated jitter scales the span from initialDelayMs up to 3 × the previous delay by the draw', () => {
    // previous 100 ms: the span is 100–300 ms.
    expect([0, 0.25, 0.5].map((r) => computeBackoff(policy('decorrelated'), 2, r, 100))).toEqual([100, 150, 200]);
  });
});

describe('adopted openings (second run)', () => {
  it('an opening whose period ends exactly now is over: it half-opens at once, without passing through open', () => {
    const { actor, clock } = startCircuit({});
    const seen: string[] = [];
    actor.subscribe((snapshot) => seen.push(String(snapshot.value)));
    const at = clock.now();
    actor.send({ type: 'ADOPT_OPEN', at, openedAt: at - 5_000, openDurationMs: 5_000, reopenCount: 0 });
    expect(seen).toEqual(['halfOpen']);
    // One millisecond left is still a running period.
    actor.send({ type: 'ADOPT_CLOSED' });
    actor.send({ type: 'ADOPT_OPEN', at, openedAt: at - 4_999, openDurationMs: 5_000, reopenCount: 0 });
    expect(actor.getSnapshot().value).toBe('open');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('halfOpen');
  });
});
