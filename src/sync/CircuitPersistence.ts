import type { Actor } from 'xstate';
import type { CircuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import type { Clock, LogEntry } from '../types.js';
import type { PersistSettings } from './resolvePersistOptions.js';
import type { SyncStats } from './types.js';

/**
 * What an executor needs of the persistence attached to its circuit (see `persistCircuit`): only this type is known to
 * the core, so the code that stores and shares the circuit is bundled only by the apps that import it.
 */
export interface CircuitLink {
  /** Whether half-open trials are shared between tabs (one tab runs each trial). */
  readonly sharesTrials: boolean;
  /** Whether this tab holds the trial of the current half-open period. */
  holdsTrial(): boolean;
  /** Asks for the trial lock of the current half-open period: true when this tab got it. */
  requestTrial(): Promise<boolean>;
  /** Gives back a trial lock this tab took but did not use. */
  releaseIdleTrial(): void;
  /**
   * Where a transition being adopted comes from while it runs (for its log line), or `null`: the storage read at start,
   * another tab, or another process (a fleet linked through Redis).
   */
  readonly adopting: 'storage' | 'tab' | 'process' | null;
  getStats(): SyncStats;
  /** Restores what was stored, then follows the circuit, the storage and the other tabs. */
  start(): void;
  /** Stops following the circuit, the storage and the other tabs. */
  stop(): void;
}

/** The brand `createExecutor` recognises a persistence by. */
export const PERSISTENCE = Symbol.for('xstate-circuit-breaker/persistence');

/**
 * Persistence for one circuit, from {@link persistCircuit}: pass it as `createExecutor({ persist })`. It is the only
 * way in for the code that stores and shares circuits, so an app that does not import it does not bundle it.
 */
export interface CircuitPersistence {
  /** The checked options, with the platform's storage, channel and locks filled in. */
  readonly settings: PersistSettings;
  /** The same persistence for another circuit, kept and shared under `name` (ra-core names one per resource). */
  named(name: string): CircuitPersistence;
  /**
   * Attaches it to an executor's circuit (`start()` then restores what was stored). Called by `createExecutor`, which
   * passes its `log` so a persistence can report on the link it keeps (a fleet link to Redis going down and back). @internal
   */
  attach(circuit: Actor<CircuitBreakerMachine>, clock: Clock, maxOpenDurationMs: number, log: (entry: LogEntry) => void): CircuitLink;
  readonly [PERSISTENCE]: true;
}

/**
 * Whether `value` came from `persistCircuit` (of this copy of the package or another). Importing this does not load
 * the sync code.
 */
export function isCircuitPersistence(value: unknown): value is CircuitPersistence {
  return typeof value === 'object' && value !== null && (value as Partial<CircuitPersistence>)[PERSISTENCE] === true;
}
