import { useContext, useMemo, useRef, type ReactNode } from 'react';
import type { Executor } from '../createExecutor.js';
import { assertExecutor } from './assertExecutor.js';
import { CircuitContext, type CircuitContextValue } from './CircuitContext.js';

/**
 * Props of {@link CircuitProvider}. Give it `executor` (one circuit for the app), `executors` (a circuit per resource,
 * by name), or both (named circuits plus a default).
 */
export type CircuitProviderProps = {
  readonly children?: ReactNode;
} & (
  | { readonly executor: Executor; readonly executors?: Readonly<Record<string, Executor>> }
  | { readonly executor?: Executor; readonly executors: Readonly<Record<string, Executor>> }
);

const noExecutors: Readonly<Record<string, Executor>> = Object.freeze({});

function sameRecord(a: Readonly<Record<string, Executor>>, b: Readonly<Record<string, Executor>>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/**
 * Keeps the previous record while its entries are the same executors, so that `executors={{ contacts, deals }}`
 * written inline does not hand consumers a new context value on every render.
 */
function useStableRecord(record: Readonly<Record<string, Executor>>): Readonly<Record<string, Executor>> {
  const ref = useRef(record);
  if (!sameRecord(ref.current, record)) ref.current = record;
  return ref.current;
}

/**
 * Makes executors available to {@link useExecutor}, {@link useExecutors} and the status components below it.
 *
 * Providers nest: an inner provider inherits the executors of the outer ones, adds or replaces names with its own
 * `executors`, and replaces the default executor only when it is given `executor`.
 *
 * @throws {@link TypeError} while rendering, when it is given neither `executor` nor `executors`, or something that
 * is not an executor.
 * @example
 * const api = createExecutor({ openDurationMs: 30_000 })
 * const contacts = createExecutor()
 *
 * <CircuitProvider executor={api} executors={{ contacts }}>
 *   <CircuitStatusBadge />                    // the default circuit
 *   <CircuitStatusBadge name="contacts" />    // the contacts circuit, labelled "contacts"
 * </CircuitProvider>
 */
export function CircuitProvider(props: CircuitProviderProps): ReactNode {
  const { executor, executors, children } = props;
  if (executor === undefined && executors === undefined) {
    throw new TypeError(
      'xstate-circuit-breaker: <CircuitProvider> needs executor={createExecutor()} or executors={{ name: executor }}.',
    );
  }
  if (executor !== undefined) assertExecutor(executor, '<CircuitProvider executor>');
  if (executors !== undefined) {
    if (typeof executors !== 'object' || executors === null) {
      throw new TypeError(`xstate-circuit-breaker: <CircuitProvider executors> must be an object of executors by name, got ${String(executors)}.`);
    }
    for (const [name, value] of Object.entries(executors)) assertExecutor(value, `<CircuitProvider executors> entry "${name}"`);
  }

  const parent = useContext(CircuitContext);
  const own = useStableRecord(executors ?? noExecutors);
  const value = useMemo<CircuitContextValue>(() => {
    const inherited = parent?.executors ?? noExecutors;
    return {
      executor: executor ?? parent?.executor,
      executors: own === noExecutors ? inherited : inherited === noExecutors ? own : { ...inherited, ...own },
    };
  }, [parent, executor, own]);

  return <CircuitContext.Provider value={value}>{children}</CircuitContext.Provider>;
}
