/**
 * `createActor(machine).start()` with no `input`, as a reader of the XState docs tries first: both machines run on the
 * seed's defaults (the policies the executor fills in), with no error reported later. This file type-checks only
 * because the machines' input type admits none (`tsc --noEmit` fails on `createActor(machine)` otherwise).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, type AnyActorRef } from 'xstate';
import { circuitBreakerMachine, defaultCircuitPolicy } from '../../machines/circuitBreaker.machine.js';
import { defaultRetryPolicy, retryMachine } from '../../machines/retry.machine.js';

const started: AnyActorRef[] = [];
afterEach(() => {
  for (const actor of started.splice(0)) actor.stop();
});

/** Starts `actor`, recording any error it reports, now or on a later turn. */
function start<A extends AnyActorRef>(actor: A): { actor: A; errors: unknown[] } {
  const errors: unknown[] = [];
  actor.subscribe({ error: (error) => errors.push(error) });
  actor.start();
  started.push(actor);
  return { actor, errors };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the machines start without input, on the default policies', () => {
  it('circuitBreakerMachine: closed, with the default policy, and opens after failureThreshold failures', async () => {
    const { actor, errors } = start(createActor(circuitBreakerMachine));
    expect(actor.getSnapshot()).toMatchObject({ status: 'active', value: 'closed', context: { policy: defaultCircuitPolicy } });

    for (let i = 0; i < defaultCircuitPolicy.failureThreshold; i++) {
      actor.send({ type: 'FAILURE', at: Date.now(), epoch: actor.getSnapshot().context.epoch, retryAfterMs: null });
    }
    await turn();

    expect(actor.getSnapshot()).toMatchObject({ status: 'active', value: 'open', context: { openDurationMs: defaultCircuitPolicy.openDurationMs } });
    expect(errors).toEqual([]);
  });

  it('retryMachine: attempting, with the default policy, and backs off by the default first step after a failure', async () => {
    const { actor, errors } = start(createActor(retryMachine));
    expect(actor.getSnapshot()).toMatchObject({ status: 'active', value: 'attempting', context: { attempt: 1, policy: defaultRetryPolicy } });

    actor.send({ type: 'FAILED', error: new Error('503'), retryable: true, retryAfterMs: null, random: 0.5 });
    await turn();

    // proportional jitter at the middle draw: exactly the first step, 100 ms.
    expect(actor.getSnapshot()).toMatchObject({ status: 'active', value: 'backingOff', context: { delayMs: defaultRetryPolicy.initialDelayMs } });
    expect(errors).toEqual([]);
  });
});
