import { useEffect, useState } from 'react';

/**
 * Calls `read` now and every `intervalMs` while the component is mounted, and returns its latest value. For values
 * that have no subscription, such as an executor's `getStats()` counters or the backend's `/__control/stats`.
 * A `read` that rejects leaves the value as it was and reports the error in `error`.
 *
 * @example
 * const { value: stats } = usePolled(() => executor.getStats(), 500)
 */
export function usePolled<T>(read: () => T | Promise<T>, intervalMs: number, deps: readonly unknown[] = []): { value: T | undefined; error: unknown } {
  const [state, setState] = useState<{ value: T | undefined; error: unknown }>({ value: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    const tick = (): void => {
      Promise.resolve()
        .then(read)
        .then(
          (value) => live && setState({ value, error: undefined }),
          (error: unknown) => live && setState((previous) => ({ value: previous.value, error })),
        );
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // Not `read` itself: it is a new function on each render; `deps` says when it starts reading something else.
  }, [intervalMs, ...deps]);
  return state;
}
