import type { CircuitStorage } from './types.js';

/**
 * A `CircuitStorage` in memory, for platforms without `localStorage` (Node, workers) and for tests. Executors given
 * the same one behave like tabs sharing one `localStorage`.
 *
 * @example
 * const storage = createMemoryStorage()
 * const executor = createExecutor({ persist: { name: 'api', storage } })
 */
export function createMemoryStorage(): CircuitStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(String(key)) ?? null,
    setItem: (key, value) => void items.set(String(key), String(value)),
    removeItem: (key) => void items.delete(String(key)),
  };
}
