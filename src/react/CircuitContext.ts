import { createContext, type Context } from 'react';
import type { Executor } from '../createExecutor.js';

/** What a `<CircuitProvider>` gives the tree below it: a default executor and executors by name. */
export interface CircuitContextValue {
  /** The executor `useExecutor()` returns, if the provider (or one above it) was given one. */
  readonly executor: Executor | undefined;
  /** Executors by name, merged with those of the providers above. */
  readonly executors: Readonly<Record<string, Executor>>;
}

const contextKey = Symbol.for('xstate-circuit-breaker.react.CircuitContext');

/**
 * The context behind `CircuitProvider` and `useExecutor`. It is kept on `globalThis` (one per copy of React), so that
 * the `/react` and `/react-admin` entries, their CommonJS and ESM builds, or two copies of this package in one
 * bundle all meet the same provider.
 */
function sharedContext(): Context<CircuitContextValue | null> {
  const registry = ((globalThis as Record<symbol, unknown>)[contextKey] ??= new WeakMap()) as WeakMap<
    typeof createContext,
    Context<CircuitContextValue | null>
  >;
  let context = registry.get(createContext);
  if (context === undefined) {
    context = createContext<CircuitContextValue | null>(null);
    context.displayName = 'CircuitContext';
    registry.set(createContext, context);
  }
  return context;
}

/** @internal */
export const CircuitContext: Context<CircuitContextValue | null> = sharedContext();
