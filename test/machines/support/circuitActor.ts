import { createActor, SimulatedClock, type Actor } from 'xstate';
import { circuitBreakerMachine, type CircuitPolicy } from '../../../machines/circuitBreaker.machine.js';

// A real circuit actor on a SimulatedClock, and the events a test sends it, shared by the circuit's feature tests
// (test/machines/*.test.ts) that drive the machine directly rather than through its model.

export const START_MS = 1_000_000;

export type CircuitActor = Actor<typeof circuitBreakerMachine>;

export function startCircuit(policy: Partial<CircuitPolicy>): { actor: CircuitActor; clock: SimulatedClock } {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const actor = createActor(circuitBreakerMachine, { clock, input: { policy } });
  actor.start();
  return { actor, clock };
}

export const epochOf = (actor: CircuitActor): number => actor.getSnapshot().context.epoch;
export const fail = (actor: CircuitActor, at: number, retryAfterMs: number | null = null): void =>
  actor.send({ type: 'FAILURE', at, epoch: epochOf(actor), retryAfterMs });
export const succeed = (actor: CircuitActor, at: number): void => actor.send({ type: 'SUCCESS', at, epoch: epochOf(actor) });
