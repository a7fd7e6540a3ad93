import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { circuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import { epochOf, START_MS, startCircuit, succeed } from './support/circuitActor.js';

/**
 * An opening records why (`openReason`: the server was rate limiting, or not answering) and which rule opened it
 * (`openCause`); the refusal, the log line and the badge read them. An opening by a success (the failure rate still at
 * the threshold when `minimumCalls` is reached) says why from the last failure.
 */

const RATE_WINDOW = { kind: 'count', size: 4, threshold: 0.5, minimumCalls: 4 } as const;

describe('the circuit says why it opened', () => {
  it.each([
    [true, 'rate-limited'],
    [false, 'unavailable'],
  ] as const)('a success that opens it by the failure rate, after a last failure rate limited %s, records %s', (rateLimited, reason) => {
    const { actor } = startCircuit({ failureThreshold: 0, failureRate: RATE_WINDOW });
    actor.send({ type: 'FAILURE', at: START_MS, epoch: epochOf(actor), retryAfterMs: null, rateLimited: !rateLimited });
    succeed(actor, START_MS + 1);
    actor.send({ type: 'FAILURE', at: START_MS + 2, epoch: epochOf(actor), retryAfterMs: null, rateLimited });
    expect(actor.getSnapshot().context.lastFailureRateLimited).toBe(rateLimited);
    succeed(actor, START_MS + 3); // 2 of 4 failed: 50 %
    expect(actor.getSnapshot()).toMatchObject({ value: 'open', context: { openReason: reason, openCause: 'failure-rate' } });
  });

  it.each([
    [true, 'rate-limited'],
    [false, 'unavailable'],
  ] as const)('a failure that opens it, rate limited %s, records %s whatever the failures before it were', (rateLimited, reason) => {
    const { actor } = startCircuit({ failureThreshold: 2 });
    actor.send({ type: 'FAILURE', at: START_MS, epoch: epochOf(actor), retryAfterMs: null, rateLimited: !rateLimited });
    actor.send({ type: 'FAILURE', at: START_MS + 1, epoch: epochOf(actor), retryAfterMs: null, rateLimited });
    expect(actor.getSnapshot()).toMatchObject({ value: 'open', context: { openReason: reason, openCause: 'consecutive-failures' } });
  });

  it('a provided open duration that is not a finite number opens for no time at all, and says so (0, not NaN)', () => {
    for (const broken of [Number.NaN, Number.POSITIVE_INFINITY, '5000' as unknown as number]) {
      const clock = new SimulatedClock();
      clock.set(START_MS);
      const machine = circuitBreakerMachine.provide({ delays: { openDuration: () => broken } });
      const actor = createActor(machine, { clock, input: { policy: { failureThreshold: 1 } } }).start();
      actor.send({ type: 'FAILURE', at: START_MS, epoch: epochOf(actor), retryAfterMs: null });
      expect(actor.getSnapshot().context.openDurationMs, String(broken)).toBe(0);
      actor.stop();
    }
  });
});
