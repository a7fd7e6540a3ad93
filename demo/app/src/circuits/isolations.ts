import type { Executor, IsolationHandle } from '../../../../src/index.js';

/**
 * The demo's isolation handles, kept outside any component so leaving the Storm page and coming back does not lose
 * them: the page reads whether a circuit is isolated from the executor, and Release / Reset find the handle here.
 */
const handles = new WeakMap<Executor, IsolationHandle>();

/** Isolates the circuit by hand (once: a second call while this page holds it does nothing). */
export function isolateCircuit(executor: Executor): void {
  if (!handles.has(executor)) handles.set(executor, executor.isolate());
}

/** Ends the isolation this page holds, if any. Returns whether there was one. */
export function releaseCircuit(executor: Executor): boolean {
  const handle = handles.get(executor);
  if (handle === undefined) return false;
  handles.delete(executor);
  handle.dispose();
  return true;
}

/** Reset: ends this page's isolation, then closes the circuit and forgets its failures. */
export function resetCircuit(executor: Executor): void {
  releaseCircuit(executor);
  executor.resetCircuit();
}
