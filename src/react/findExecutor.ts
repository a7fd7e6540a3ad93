import type { Executor } from '../createExecutor.js';
import type { CircuitContextValue } from './CircuitContext.js';

function knownNames(context: CircuitContextValue): string {
  const names = Object.keys(context.executors);
  return names.length === 0 ? 'none' : names.map((name) => `"${name}"`).join(', ');
}

/** The error for a hook or component used with no `<CircuitProvider>` above it. @internal */
export function outsideProvider(caller: string): Error {
  return new Error(
    `xstate-circuit-breaker: ${caller} must be used inside <CircuitProvider executor={...}>. ` +
      `Wrap your app (or this part of it) in <CircuitProvider executor={createExecutor()}>` +
      (caller.startsWith('<') ? ', or pass the executor as a prop.' : '.'),
  );
}

/**
 * Looks an executor up in the provider's value, or throws a message that says what to do. `caller` names the hook or
 * component asking, for the message. @internal
 */
export function findExecutor(context: CircuitContextValue | null, name: string | undefined, caller: string): Executor {
  if (context === null) throw outsideProvider(caller);
  if (name === undefined) {
    if (context.executor !== undefined) return context.executor;
    throw new Error(
      `xstate-circuit-breaker: ${caller} found no default executor: the <CircuitProvider> above was given only ` +
        `executors={...} (names: ${knownNames(context)}). Ask for one by name, or give the provider executor={...} too.`,
    );
  }
  const found = Object.hasOwn(context.executors, name) ? context.executors[name] : undefined;
  if (found !== undefined) return found;
  throw new Error(
    `xstate-circuit-breaker: ${caller} asked for the executor "${name}", which no <CircuitProvider> above provides ` +
      `(names: ${knownNames(context)}). Add it: <CircuitProvider executors={{ ${JSON.stringify(name)}: executor }}>.`,
  );
}
