/**
 * What the circuit keeps in its context: the outcome history only when a failure-rate window needs it, the time of
 * the last failure (forgotten on RESET), and the time of the opening (the first ISOLATE, a failed trial). Each test
 * below fails against a mutant the first mutation run left alive (docs/mutation.md).
 */

import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { fail, START_MS, startCircuit, succeed, type CircuitActor } from './support/circuitActor.js';

/** Opens the circuit with one failure (failureThreshold 1) and lets the open timer run out. */
function halfOpen(actor: CircuitActor, clock: SimulatedClock): void {
  fail(actor, clock.now());
  expect(actor.getSnapshot().value).toBe('open');
  clock.increment(actor.getSnapshot().context.openDurationMs);
  expect(actor.getSnapshot().value).toBe('halfOpen');
}

describe('circuitBreakerMachine records failures and opening times exactly', () => {
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
