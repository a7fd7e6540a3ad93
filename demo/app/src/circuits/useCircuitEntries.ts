import { useCallback, useSyncExternalStore } from 'react';
import type { CircuitEntry, CircuitRegistry } from '../../../../src/ra-core/index.js';
import { RESOURCES } from '../records.js';

const order = (resource: string): number => {
  const index = (RESOURCES as readonly string[]).indexOf(resource);
  return index === -1 ? RESOURCES.length : index;
};

/**
 * The circuits of the data provider, kept up to date: a resource's circuit appears once the resource is first
 * called (the registry creates executors lazily), in the order contacts, opportunities, segments, then the others.
 *
 * @example
 * const entries = useCircuitEntries(dataProvider.circuits)
 * entries.map(({ resource, state }) => `${resource}: ${state.state}`)
 */
export function useCircuitEntries(circuits: CircuitRegistry): readonly CircuitEntry[] {
  const subscribe = useCallback((onChange: () => void) => circuits.subscribe(onChange), [circuits]);
  const list = useCallback(() => circuits.list(), [circuits]);
  const entries = useSyncExternalStore(subscribe, list, list);
  return [...entries].sort((a, b) => order(a.resource) - order(b.resource));
}
