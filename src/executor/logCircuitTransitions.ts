import type { Actor, SnapshotFrom } from 'xstate';
import type { CircuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import type { CircuitLink } from '../sync/CircuitPersistence.js';
import type { LogEntry } from '../types.js';

type CircuitSnapshot = SnapshotFrom<CircuitBreakerMachine>;

/** What the transition log needs from its executor. */
export interface TransitionLogSource {
  readonly log: (entry: LogEntry) => void;
  /** Where a transition being brought in by `persist` comes from, or `null` for the circuit's own. */
  readonly adopting: () => CircuitLink['adopting'];
  /** The caller context of the call whose result is being sent to the circuit, if any. */
  readonly callContext: () => unknown;
  readonly now: () => number;
}

/** Logs every change of the circuit's state, in words the machine's context gives (which rule opened it, for how long). */
export function logCircuitTransitions(circuit: Actor<CircuitBreakerMachine>, source: TransitionLogSource): void {
  const { log } = source;
  let previous: CircuitSnapshot['value'] = 'closed';
  circuit.subscribe((snapshot) => {
    const state = snapshot.value;
    if (state === previous) return;
    const from = previous;
    previous = state;
    const { context } = snapshot;
    const data = { from, to: state, consecutiveFailures: context.consecutiveFailures, openDurationMs: context.openDurationMs };
    const adopted = source.adopting();
    if (adopted !== null) {
      const halfOpensAt = context.openedAt === null ? 0 : context.openedAt + context.openDurationMs;
      logAdopted(source, state, adopted, { ...data, source: adopted }, halfOpensAt);
      return;
    }
    if (state === 'open') {
      log({
        level: 'error',
        event: 'circuit-opened',
        message:
          context.openCause === 'trial-failed'
            ? `Circuit breaker re-opened after a failed trial (open for ${context.openDurationMs}ms)`
            : context.openCause === 'consecutive-failures'
              ? `Circuit breaker opened after ${context.consecutiveFailures} consecutive failures`
              : `Circuit breaker opened: failure rate over the threshold`,
        context: source.callContext(),
        data,
      });
    } else if (state === 'halfOpen') {
      log({ level: 'info', event: 'circuit-half-open', message: 'Circuit breaker reset after timeout', data });
    } else if (state === 'isolated') {
      log({ level: 'warn', event: 'circuit-isolated', message: 'Circuit breaker isolated by hand', data });
    } else if (from === 'halfOpen') {
      log({ level: 'info', event: 'circuit-closed', message: 'Circuit breaker closed after a successful trial', data });
    } else {
      log({ level: 'info', event: 'circuit-reset', message: 'Circuit breaker reset', data });
    }
  });
}

/**
 * A transition brought in by `persist`: restored from storage after a reload, or taken over from another tab (or
 * from another process of a fleet linked through Redis).
 */
function logAdopted(
  source: TransitionLogSource,
  state: CircuitSnapshot['value'],
  from: NonNullable<CircuitLink['adopting']>,
  data: Record<string, unknown>,
  halfOpensAt: number,
): void {
  const where = from === 'storage' ? 'restored from storage' : `from another ${from}`;
  if (state === 'open') {
    const left = Math.max(0, halfOpensAt - source.now());
    source.log({
      level: 'error',
      event: 'circuit-opened',
      message:
        from === 'storage' ? `Circuit breaker restored open from storage (${left}ms left)` : `Circuit breaker opened in another ${from} (${left}ms left)`,
      data,
    });
  } else if (state === 'halfOpen') {
    source.log({
      level: 'info',
      event: 'circuit-half-open',
      message:
        from === 'storage'
          ? 'Circuit breaker restored half-open: its open period ended while the page was closed'
          : `Circuit breaker half-open (${where}): the open period is over`,
      data,
    });
  } else {
    source.log({ level: 'info', event: 'circuit-closed', message: `Circuit breaker closed (${where})`, data });
  }
}
