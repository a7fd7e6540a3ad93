// Type tests (checked by `tsc --noEmit`): the handle of `executor.isolate()` can be ended with `using`, so releasing
// the isolation cannot be forgotten on any path out of the block.
import { expectTypeOf } from 'vitest';
import { createExecutor, type IsolationHandle } from '../../src/index.js';

const executor = createExecutor();

expectTypeOf(executor.isolate()).toEqualTypeOf<IsolationHandle>();
expectTypeOf<IsolationHandle['dispose']>().toEqualTypeOf<() => void>();

expectTypeOf<IsolationHandle[typeof Symbol.dispose]>().toEqualTypeOf<() => void>();

export function maintenanceWindow(run: () => void): void {
  using hold = executor.isolate();
  expectTypeOf(hold).toHaveProperty('dispose');
  run();
}
