import { useContext } from 'react';
import type { Executor } from '../createExecutor.js';
import { CircuitContext } from './CircuitContext.js';
import { findExecutor } from './findExecutor.js';

/**
 * The executor of the nearest {@link CircuitProvider}: its default one, or the one registered under `name` in its
 * `executors`. Throws, with a message that says what to do, outside a provider or for an unknown name.
 *
 * @throws {@link Error} outside a `<CircuitProvider>`, without `name` when the provider has no default executor, or
 * for a `name` no provider above registers; the message says what to add.
 * @example
 * function SaveButton() {
 *   const contacts = useExecutor('contacts')
 *   const isOpen = useCircuitState(contacts, (s) => s.isOpen)
 *   return <button disabled={isOpen} onClick={() => contacts.execute(save)}>Save</button>
 * }
 */
export function useExecutor(name?: string): Executor {
  const context = useContext(CircuitContext);
  return findExecutor(context, name, name === undefined ? 'useExecutor()' : `useExecutor(${JSON.stringify(name)})`);
}
