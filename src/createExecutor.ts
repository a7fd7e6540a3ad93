import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { CircuitBreakerMachine } from '../machines/circuitBreaker.machine.js';
import { describeValue } from './options-shared.js';
import { withFormerNames } from './withFormerNames.js';
import { persistence, resolveOptions, type ExecutorOptions, type ExecutorSettings, type ResolvedOptions } from './options.js';
import type { CircuitLink } from './sync/CircuitPersistence.js';
import type { SyncStats } from './sync/types.js';
import type { AttemptContext, CircuitState, ExecuteOptions, ExecutorStats, IsolationHandle, LogEntry, Operation } from './types.js';
import { Admission } from './executor/Admission.js';
import { CallScope } from './executor/CallScope.js';
import { createCircuitView, type CircuitView } from './executor/createCircuitView.js';
import { SignalWatch } from './executor/SignalWatch.js';
import { readExecuteOptions } from './executor/readExecuteOptions.js';
import { sameCircuitState } from './executor/snapshotHelpers.js';
import { AttemptLoop } from './executor/AttemptLoop.js';
import type { PacedRequest } from './executor/PacedRequest.js';
import { CircuitReports, type MutableStats } from './executor/CircuitReports.js';
import { logCircuitTransitions } from './executor/logCircuitTransitions.js';
import type { Executor } from './Executor.js';

export type { Executor };

type CircuitSnapshot = SnapshotFrom<CircuitBreakerMachine>;
type CircuitActor = Actor<CircuitBreakerMachine>;

/** The names `ExecutorStats` fields had before, kept for one release as deprecated getters (see withFormerNames). */
const FORMER_STAT_NAMES = { successes: 'succeeded', failures: 'failed', rejections: 'rejected', rateLimited: 'rateLimitedAttempts' } as const;


class MachineExecutor implements Executor {
  readonly circuit: CircuitView;
  readonly #circuit: CircuitActor;
  readonly options: Readonly<ResolvedOptions>;
  readonly #reports: CircuitReports;
  readonly #stats: MutableStats;
  readonly #attempts: AttemptLoop;
  readonly #controller = new AbortController();
  readonly #scopes = new Set<CallScope>();
  readonly #signals = new SignalWatch();
  /** Calls waiting for a pacer slot, woken at once when the circuit stops admitting calls. */
  readonly #pacing = new Set<CallScope>();
  /** Bumped when `endIsolation()` ends every hold: handles of an ended isolation no longer release anything. */
  #isolation = 0;
  readonly #sync: CircuitLink | undefined;
  #stopped = false;
  #cachedSnapshot: CircuitSnapshot | undefined;
  #cachedState: CircuitState | undefined;
  readonly #admission: Admission;

  constructor(options: ExecutorOptions | undefined) {
    this.options = resolveOptions(options);
    const { clock, inspect, circuit } = this.options;
    this.#circuit = createActor(this.options.machines.circuit, { input: { policy: circuit }, clock, inspect });
    this.circuit = createCircuitView(this.#circuit);
    const log = (entry: LogEntry): void => this.#log(entry);
    this.#reports = new CircuitReports(this.#circuit, this.options, { log, stopped: () => this.#stopped });
    this.#stats = this.#reports.stats;
    if (this.options.logger !== undefined) {
      logCircuitTransitions(this.#circuit, {
        log: (entry) => this.#log(entry),
        adopting: () => this.#sync?.adopting ?? null,
        callContext: () => this.#reports.callContext,
        now: () => clock.now(),
      });
    }
    this.#admission = new Admission(this.#circuit, () => this.#sync);
    this.#attempts = new AttemptLoop({
      options: this.options,
      admission: this.#admission,
      reports: this.#reports,
      log,
      pacing: this.#pacing,
      ended: (scope) => {
        this.#scopes.delete(scope);
        this.#signals.delete(scope);
      },
    });
    this.#circuit.subscribe(() => {
      // Calls waiting for a pacer slot are turned away at once when the circuit stops admitting calls.
      if (this.#pacing.size === 0 || !this.#admission.refusesAll()) return;
      for (const scope of [...this.#pacing]) scope.wake();
    });
    this.#circuit.start();
    // resolveOptions() checked it: a persistCircuit() persistence, or nothing.
    const persist = persistence(options?.persist);
    if (persist !== undefined) {
      this.#sync = persist.attach(this.#circuit, clock, Math.max(circuit.maxOpenDurationMs, this.options.retry.maxRetryAfterMs), log);
      // Started once it is the executor's: the transitions it restores are logged as restored.
      this.#sync.start();
    }
  }

  execute<T>(operation: Operation<T>, given?: ExecuteOptions): Promise<T> {
    this.#stats.calls++;
    if (typeof operation !== 'function') {
      this.#stats.failed++;
      return Promise.reject(new TypeError(`xstate-circuit-breaker: execute() needs a function, got ${describeValue(operation)}.`));
    }
    let options: ExecuteOptions | undefined;
    if (given !== undefined) {
      const read = readExecuteOptions(given);
      if (read instanceof Error) {
        this.#stats.failed++;
        return Promise.reject(read);
      }
      options = read;
    }
    if (this.#stopped) {
      this.#stats.aborted++;
      return Promise.reject(this.#controller.signal.reason);
    }
    const signal = options?.signal;
    if (signal?.aborted) {
      this.#stats.aborted++;
      return Promise.reject(signal.reason);
    }
    const verdict = this.#admission.admit();
    if (verdict === 'trial-lock') return this.#admitAfterTrialLock(operation, options);
    if (verdict === 'refused') return Promise.reject(this.#reports.reject(undefined, options?.context));
    return this.#start(operation, verdict, options);
  }

  #start<T>(operation: Operation<T>, epoch: number, options: ExecuteOptions | undefined): Promise<T> {
    const signal = options?.signal;
    this.options.retryBudget?.earn();
    const request = this.#attempts.takeTurn();
    if (request?.queued !== true && signal === undefined && this.options.attemptTimeoutMs === null) {
      return this.#runFast(operation, epoch, options, request);
    }
    const scope = this.#openScope(options);
    return this.#attempts.run(operation, epoch, scope, 1, undefined, request);
  }

  /** A half-open call of a shared circuit: it runs only if this tab wins the trial (or the circuit moved on meanwhile). */
  async #admitAfterTrialLock<T>(operation: Operation<T>, options: ExecuteOptions | undefined): Promise<T> {
    const sync = this.#sync!;
    const won = await sync.requestTrial();
    const signal = options?.signal;
    if (this.#stopped || signal?.aborted) {
      if (won) sync.releaseIdleTrial();
      this.#stats.aborted++;
      throw this.#stopped ? this.#controller.signal.reason : signal!.reason;
    }
    const verdict = this.#admission.admit();
    if (typeof verdict !== 'number') {
      if (won) sync.releaseIdleTrial();
      throw this.#reports.reject(undefined, options?.context);
    }
    return this.#start(operation, verdict, options);
  }

  /** The path of almost every call: one attempt, no actor created, no event sent unless the circuit counts. */
  async #runFast<T>(operation: Operation<T>, epoch: number, options: ExecuteOptions | undefined, request: PacedRequest | undefined): Promise<T> {
    let value: T;
    try {
      value = await operation({ signal: this.#controller.signal, attempt: 1 });
    } catch (error) {
      return this.#attempts.run(operation, epoch, this.#openScope(options), 1, { error }, request);
    }
    // The pacer hears of it even after stop(): a shared pacer must not keep this request counted as in flight.
    request?.succeeded(value);
    this.#reports.succeeded(epoch);
    return value;
  }

  #openScope(options: ExecuteOptions | undefined): CallScope {
    const userSignal = options?.signal;
    const scope = new CallScope(
      options?.context,
      options?.idempotent ?? this.options.idempotent,
      userSignal ?? this.#controller.signal,
      userSignal,
      options?.onRetry,
      options?.beforeRetry,
    );
    this.#scopes.add(scope);
    this.#signals.add(scope);
    if (this.#stopped) scope.abort(this.#controller.signal.reason);
    return scope;
  }

  getCircuitState(): CircuitState {
    const snapshot = this.#circuit.getSnapshot();
    if (snapshot === this.#cachedSnapshot && this.#cachedState !== undefined) return this.#cachedState;
    const { context } = snapshot;
    const state = snapshot.value;
    const next: CircuitState = {
      state,
      // Open to a new call is what the machine says: it neither admits every call nor would grant this one.
      isOpen: this.#admission.refusesAll(),
      consecutiveFailures: context.consecutiveFailures,
      lastFailureTime: context.lastFailureTime,
      openedAt: state === 'closed' ? null : context.openedAt,
      nextAttemptAt: state === 'open' && context.openedAt !== null ? context.openedAt + context.openDurationMs : null,
      trialsInFlight: state === 'halfOpen' ? context.trialsInFlight : 0,
      reopenCount: context.reopenCount,
    };
    this.#cachedSnapshot = snapshot;
    if (this.#cachedState === undefined || !sameCircuitState(this.#cachedState, next)) this.#cachedState = next;
    return this.#cachedState;
  }

  subscribe(listener: (state: CircuitState) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('xstate-circuit-breaker: subscribe() needs a function.');
    let last = this.getCircuitState();
    const subscription = this.#circuit.subscribe(() => {
      const state = this.getCircuitState();
      if (state !== last) {
        last = state;
        listener(state);
      }
    });
    return () => subscription.unsubscribe();
  }

  // After stop() the circuit is stopped: resetting or isolating it changes nothing (and XState would warn).
  resetCircuit(): void {
    if (!this.#stopped) this.#circuit.send({ type: 'RESET' });
  }

  isolate(): IsolationHandle {
    if (!this.#stopped) this.#circuit.send({ type: 'ISOLATE', at: this.options.clock.now() });
    const isolation = this.#isolation;
    let disposed = false;
    const dispose = (): void => {
      if (disposed) return;
      disposed = true;
      // A handle of an isolation that endIsolation() ended must not release a later one.
      if (isolation === this.#isolation && !this.#stopped) this.#circuit.send({ type: 'RELEASE' });
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  endIsolation(): void {
    // Only a circuit that would end an isolation has one to end (and handles to invalidate).
    if (this.#stopped || !this.#circuit.getSnapshot().can({ type: 'END_ISOLATION' })) return;
    this.#isolation++;
    this.#circuit.send({ type: 'END_ISOLATION' });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  getStats(): ExecutorStats {
    return withFormerNames({ ...this.#stats }, FORMER_STAT_NAMES);
  }

  getSyncStats(): SyncStats | null {
    return this.#sync === undefined ? null : this.#sync.getStats();
  }

  stop(reason?: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const why = reason ?? new DOMException('The executor was stopped.', 'AbortError');
    this.#controller.abort(why);
    for (const scope of this.#scopes) scope.abort(why);
    this.#sync?.stop();
    this.#circuit.stop();
  }

  #log(entry: LogEntry): void {
    const { logger } = this.options;
    if (logger === undefined) return;
    try {
      logger(entry);
    } catch {
      // A broken logger must not change what the caller sees; the call's own outcome is still reported.
    }
  }

}

/**
 * Creates an executor: one circuit (an XState actor) and a retry loop (an actor per failing call) around your calls.
 * Every option has a default; bad options throw here, naming the option.
 *
 * @throws {@link TypeError} when an option has the wrong type or an unknown name, naming the option and the value.
 * @throws {@link RangeError} when an option is out of range or contradicts another (`maxDelayMs` below
 * `initialDelayMs`).
 * @example
 * const executor = createExecutor({ maxRetries: 3, openDurationMs: 60_000 })
 * const contacts = await executor.execute(({ signal }) => fetch('/api/contacts', { signal }).then(ok))
 */
export function createExecutor(options?: ExecutorOptions): Executor {
  return new MachineExecutor(options);
}

export type { AttemptContext };
