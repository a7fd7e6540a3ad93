import { useContext } from 'react';
import type { Executor } from '../createExecutor.js';
import { CircuitContext } from './CircuitContext.js';
import { outsideProvider } from './findExecutor.js';

/**
 * Every named executor of the {@link CircuitProvider}s above (inner names win), for a dashboard that lists them.
 * The record keeps its identity while its entries do not change. Throws outside a provider.
 *
 * @throws {@link Error} outside a `<CircuitProvider>`; the message says what to wrap.
 * @example
 * function CircuitList() {
 *   const executors = useExecutors()
 *   return Object.entries(executors).map(([name, executor]) => (
 *     <CircuitStatusBadge key={name} executor={executor} label={name} />
 *   ))
 * }
 */
export function useExecutors(): Readonly<Record<string, Executor>> {
  const context = useContext(CircuitContext);
  if (context === null) throw outsideProvider('useExecutors()');
  return context.executors;
}
