import { describe, expectTypeOf, it } from 'vitest';
import {
  createExecutor,
  runBulk,
  type BulkReport,
  type CircuitState,
  type CircuitStateName,
  type Executor,
  type ExecutorSettings,
  type ExecutorStats,
  type IsolationHandle,
} from '../src/index.js';

// Checked by `tsc` (npm test type checks first): these pin the public types a user's code is written against.
describe('public types', () => {
  it('execute() resolves with what the operation returns, sync or async', () => {
    const executor = createExecutor();
    expectTypeOf(executor).toEqualTypeOf<Executor>();
    expectTypeOf(executor.execute(async () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(executor.execute(() => 'sync')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(executor.execute).parameter(0).parameter(0).toEqualTypeOf<{ readonly signal: AbortSignal; readonly attempt: number }>();
    executor.stop();
  });

  it('the circuit state and the counters are plain read-only data', () => {
    expectTypeOf<CircuitState['state']>().toEqualTypeOf<CircuitStateName>();
    expectTypeOf<CircuitStateName>().toEqualTypeOf<'closed' | 'open' | 'halfOpen' | 'isolated'>();
    expectTypeOf<CircuitState['nextAttemptAt']>().toEqualTypeOf<number | null>();
    expectTypeOf<ExecutorStats['calls']>().toEqualTypeOf<number>();
    expectTypeOf<ReturnType<Executor['isolate']>>().toEqualTypeOf<IsolationHandle>();
    expectTypeOf<ReturnType<Executor['subscribe']>>().toEqualTypeOf<() => void>();
  });

  it('executor.options is the documented ExecutorSettings, read-only, with the policies the machines run', () => {
    const executor = createExecutor();
    expectTypeOf(executor.options).toEqualTypeOf<ExecutorSettings>();
    expectTypeOf(executor.options.retry.maxRetries).toEqualTypeOf<number>();
    expectTypeOf(executor.options.circuit.failureThreshold).toEqualTypeOf<number>();
    // Compiled, never run: the settings are read-only (change them by creating another executor), policies included.
    const mutate = (settings: ExecutorSettings): void => {
      // @ts-expect-error read-only
      settings.idempotent = true;
      // @ts-expect-error read-only
      settings.retry.maxRetries = 10;
    };
    expectTypeOf(mutate).toBeFunction();
    executor.stop();
  });

  it('runBulk keeps the item and value types in its report', () => {
    const report = runBulk([{ email: 'a@b.c' }], async (item) => item.email.length);
    expectTypeOf(report).toEqualTypeOf<Promise<BulkReport<{ email: string }, number>>>();
  });
});
