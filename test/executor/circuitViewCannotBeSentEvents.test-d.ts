// Type tests (checked by `tsc --noEmit`): `executor.circuit` is a read-only view of the circuit actor. It can be read
// and watched (`useSelector` takes it), but has no `send`, so no caller can close the circuit with a made-up SUCCESS.
import { useSelector } from '@xstate/react';
import { expectTypeOf } from 'vitest';
import { createExecutor, type CircuitStateName, type CircuitView } from '../../src/index.js';

const executor = createExecutor();

expectTypeOf(executor.circuit).toEqualTypeOf<CircuitView>();
expectTypeOf(executor.circuit).not.toHaveProperty('send');
expectTypeOf(executor.circuit).not.toHaveProperty('stop');
expectTypeOf(executor.circuit).not.toHaveProperty('start');
expectTypeOf(executor.circuit.getSnapshot().value).toEqualTypeOf<CircuitStateName>();

export function madeUpSuccess(): void {
  // @ts-expect-error the view has no send
  executor.circuit.send({ type: 'SUCCESS', at: 0, epoch: 0 });
}

export function useCircuitValue(): CircuitStateName {
  return useSelector(executor.circuit, (snapshot) => snapshot.value);
}
