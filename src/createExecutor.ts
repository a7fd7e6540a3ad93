import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { CircuitBreakerMachine } from '../machines/circuitBreaker.machine.js';
import type { RetryMachine } from '../machines/retry.machine.js';
import { summarizeError } from './security/redactSecrets.js';
import { CircuitOpenError } from './errors/CircuitOpenError.js';
import { RetriesExhaustedError } from './errors/RetriesExhaustedError.js';
import { describeValue } from './options-shared.js';
import { resolveOptions, type ExecutorOptions, type ResolvedOptions } from './options.js';
import { CircuitSync } from './sync/CircuitSync.js';
import type { SyncStats } from './sync/types.js';
import type { AttemptContext, CircuitState, ExecuteOptions, ExecutorStats, IsolationHandle, LogEntry, Operation } from './types.js';

type CircuitSnapshot = SnapshotFrom<CircuitBreakerMachine>;
type CircuitActor = Actor<CircuitBreakerMachine>;
type RetryActor = Actor<RetryMachine>;


/** Sends each call through the circuit and retry machines. Create one with {@link createExecutor}. */
export interface Executor {
  /**
   * Runs `operation` under the retry policy and the circuit. Resolves with its value; rejects with
   * `CircuitOpenError` (not tried), `RetriesExhaustedError` (every attempt failed with a retryable error), the
   * operation's own error (not retryable: passed through untouched), or the abort reason.
   */
  execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T>;
  /** The circuit now. The same object is returned until something in it changes. */
  getCircuitState(): CircuitState;
  /** Calls `listener` on every change of the circuit state; returns the function that unsubscribes. */
  subscribe(listener: (state: CircuitState) => void): () => void;
  /** Closes the circuit and forgets its failures. An isolation stays until its handles are disposed. */
  resetCircuit(): void;
  /** Holds the circuit open (state `isolated`) until every returned handle is disposed. */
  isolate(): IsolationHandle;
  /**
   * Ends the isolation whatever handles are outstanding (one was lost, for example with the component that held it):
   * the circuit closes, and the handles of that isolation no longer release anything. Nothing happens when not isolated.
   */
  endIsolation(): void;
  /** Aborted when the executor is stopped (with the reason given to `stop()`). */
  readonly signal: AbortSignal;
  /** Counters since creation. */
  getStats(): ExecutorStats;
  /** What `persist` has stored, adopted and ignored; `null` without `persist`. */
  getSyncStats(): SyncStats | null;
  /**
   * The circuit actor, for the Stately inspector or `@xstate/react`'s `useSelector`. To keep the circuit across reloads
   * and tabs, use the `persist` option rather than its snapshot: a restored snapshot would not re-arm the open timer.
   */
  readonly circuit: CircuitActor;
  /** The resolved options (defaults filled in). */
  readonly options: Readonly<ResolvedOptions>;
  /** Aborts every call the executor runs, stops its actors and clears every timer. Later calls reject. */
  stop(reason?: unknown): void;
}

interface MutableStats {
  calls: number;
  successes: number;
  failures: number;
  retries: number;
  rejections: number;
  rateLimited: number;
  aborted: number;
}

type Decision = FailureFacts;

import { Admission } from './executor/Admission.js';
import { CallScope } from './executor/CallScope.js';
import { SignalWatch } from './executor/SignalWatch.js';
import { readExecuteOptions } from './executor/readExecuteOptions.js';
import { sameCircuitState } from './executor/snapshotHelpers.js';
import { decideFailure, type FailureFacts } from './executor/decideFailure.js';
import { leftBackingOff } from './executor/leftBackingOff.js';
import { logCircuitTransitions } from './executor/logCircuitTransitions.js';
import { pacerHeardFailure, pacerHeardNothing, pacerHeardSuccess } from './executor/pacerFeedback.js';
import { fixedSlot } from './pacing/fixedSlot.js';
import type { PacerSlot } from './pacing/pacerTypes.js';

class MachineExecutor implements Executor {
  readonly circuit: CircuitActor;
  readonly options: Readonly<ResolvedOptions>;
  readonly #stats: MutableStats = { calls: 0, successes: 0, failures: 0, retries: 0, rejections: 0, rateLimited: 0, aborted: 0 };
  readonly #controller = new AbortController();
  readonly #scopes = new Set<CallScope>();
  readonly #signals = new SignalWatch();
  /** Calls waiting for a pacer slot, woken at once when the circuit stops admitting calls. */
  readonly #pacing = new Set<CallScope>();
  /** Bumped when `endIsolation()` ends every hold: handles of an ended isolation no longer release anything. */
  #isolation = 0;
  readonly #pacer: ResolvedOptions['pacer'];
  /** The circuit needs to hear about a success only when it is counting something. */
  readonly #reportsEverySuccess: boolean;
  readonly #sync: CircuitSync | undefined;
  #stopped = false;
  #cachedSnapshot: CircuitSnapshot | undefined;
  #cachedState: CircuitState | undefined;
  /** The caller context of the event being sent to the circuit, for the log lines its transitions produce. */
  #eventContext: unknown = undefined;
  readonly #admission: Admission;

  constructor(options: ExecutorOptions | undefined) {
    this.options = resolveOptions(options);
    this.#pacer = this.options.pacer;
    const { clock, inspect, circuit } = this.options;
    this.#reportsEverySuccess = circuit.failureRate !== null;
    this.circuit = createActor(this.options.machines.circuit, { input: { policy: circuit }, clock, inspect });
    if (this.options.logger !== undefined) {
      logCircuitTransitions(this.circuit, {
        log: (entry) => this.#log(entry),
        adopting: () => this.#sync?.adopting ?? null,
        callContext: () => this.#eventContext,
        now: () => clock.now(),
      });
    }
    this.#admission = new Admission(this.circuit, () => this.#sync);
    this.circuit.subscribe(() => {
      // Calls waiting for a pacer slot are turned away at once when the circuit stops admitting calls.
      if (this.#pacing.size === 0 || !this.#admission.refusesAll()) return;
      for (const scope of [...this.#pacing]) scope.wake();
    });
    this.circuit.start();
    const { persist, retry } = this.options;
    if (persist !== undefined) {
      this.#sync = new CircuitSync(this.circuit, persist, clock, Math.max(circuit.maxOpenDurationMs, retry.maxRetryAfterMs));
      this.#sync.start();
    }
  }

  execute<T>(operation: Operation<T>, given?: ExecuteOptions): Promise<T> {
    this.#stats.calls++;
    if (typeof operation !== 'function') {
      this.#stats.failures++;
      return Promise.reject(new TypeError(`xstate-circuit-breaker: execute() needs a function, got ${describeValue(operation)}.`));
    }
    let options: ExecuteOptions | undefined;
    if (given !== undefined) {
      const read = readExecuteOptions(given);
      if (read instanceof Error) {
        this.#stats.failures++;
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
    if (verdict === 'refused') return Promise.reject(this.#reject(undefined, options?.context));
    return this.#start(operation, verdict, options);
  }

  #start<T>(operation: Operation<T>, epoch: number, options: ExecuteOptions | undefined): Promise<T> {
    const signal = options?.signal;
    this.options.retryBudget?.earn();
    const slot = this.#takeSlot();
    if (slot === null && signal === undefined && this.options.attemptTimeoutMs === null) return this.#runFast(operation, epoch, options);
    const scope = this.#openScope(options);
    return this.#runScoped(operation, epoch, scope, 1, undefined, slot);
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
      throw this.#reject(undefined, options?.context);
    }
    return this.#start(operation, verdict, options);
  }

  /** The path of almost every call: one attempt, no actor created, no event sent unless the circuit counts. */
  async #runFast<T>(operation: Operation<T>, epoch: number, options: ExecuteOptions | undefined): Promise<T> {
    let value: T;
    try {
      value = await operation({ signal: this.#controller.signal, attempt: 1 });
    } catch (error) {
      return this.#runScoped(operation, epoch, this.#openScope(options), 1, { error }, null);
    }
    this.#succeeded(epoch, value);
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

  /**
   * The retry loop. `first` carries the outcome of an attempt already made on the fast path; otherwise attempt
   * `attempt` is made here. The retry actor is created at the first failure.
   */
  async #runScoped<T>(
    operation: Operation<T>,
    admittedEpoch: number,
    scope: CallScope,
    firstAttempt: number,
    first: { error: unknown } | undefined,
    firstSlot: PacerSlot | null,
  ): Promise<T> {
    let epoch = admittedEpoch;
    let attempt = firstAttempt;
    let pending = first;
    let slot = firstSlot;
    let lastError: unknown = undefined;
    try {
      for (;;) {
        let error: unknown;
        if (pending !== undefined) {
          error = pending.error;
          pending = undefined;
        } else {
          if (slot !== null) epoch = await this.#waitForSlot(scope, epoch, slot, attempt, lastError);
          let outcome: { value: T } | undefined;
          try {
            outcome = { value: await scope.run(operation, attempt, this.options.attemptTimeoutMs, this.options.clock) };
          } catch (caught) {
            error = caught;
          }
          // Outside the try: the attempt succeeded, and nothing the bookkeeping does can turn it into a failure.
          if (outcome !== undefined) {
            scope.retry?.send({ type: 'SUCCEEDED' });
            scope.ended = true;
            this.#succeeded(epoch, outcome.value);
            return outcome.value;
          }
        }
        lastError = error;
        if (scope.aborted) {
          this.#pacer?.observeFailure();
          throw this.#aborted(scope, epoch);
        }

        let decision: Decision;
        try {
          decision = decideFailure(error, attempt, scope.idempotent, this.options);
        } catch (predicateError) {
          // A throwing predicate ends the call, and the pacer still hears that its request ended.
          pacerHeardNothing(this.#pacer);
          throw predicateError;
        }
        if (decision.rateLimited) this.#stats.rateLimited++;
        pacerHeardFailure(this.#pacer, error, decision);
        // A predicate (shouldRetry, isFailure) may have aborted the call: it ends here, and no retry is planned.
        if (scope.aborted) throw this.#aborted(scope, epoch);
        const retry = (scope.retry ??= this.#startRetry());
        const budget = this.options.retryBudget;
        retry.send({
          type: 'FAILED',
          // The machine (and so the inspector) gets a credential-free summary; the error itself stays with the caller.
          error: summarizeError(error),
          retryable: decision.retryable,
          retryAfterMs: decision.retryAfterMs,
          random: this.options.random(),
          budgetAllows: budget === undefined || budget.available() >= 1,
          paced: decision.paced,
        });
        const snapshot = retry.getSnapshot();
        if (snapshot.value === 'rejected') {
          this.#failed(scope, epoch, decision);
          throw error;
        }
        if (snapshot.value === 'exhausted') {
          const tooLong = snapshot.context.giveUpReason === 'retry-after-too-long';
          const tripped = this.#failed(scope, epoch, decision);
          this.#log({
            level: 'error',
            event: tooLong ? 'retry-after-too-long' : 'retries-exhausted',
            message: tooLong
              ? `[RateLimit] Server asked to wait ${decision.retryAfterMs}ms, more than maxRetryAfterMs (${snapshot.context.policy.maxRetryAfterMs}ms). Giving up.`
              : `[RateLimit] Max retries (${snapshot.context.policy.maxRetries}) exceeded`,
            context: scope.context,
            data: { attempts: attempt, retryAfterMs: decision.retryAfterMs, status: decision.status },
          });
          // The operation whose failure opened the circuit is told so, as every call after it will be.
          if (tripped) throw this.#openError(error, true);
          throw new RetriesExhaustedError({
            attempts: attempt,
            retryAfterMs: snapshot.context.lastRetryAfterMs,
            cause: error,
            retryAfterTooLong: tooLong,
          });
        }
        if (snapshot.value !== 'backingOff') throw this.#aborted(scope, epoch);
        // Only a retry the machine granted on the budget spends it (a paced or server-scheduled one is free).
        if (snapshot.context.retryKind === 'budgeted') budget?.trySpend();

        const { delayMs } = snapshot.context;
        const { maxRetries } = snapshot.context.policy;
        this.#log({
          level: 'warn',
          event: 'retry',
          message: decision.rateLimited
            ? `[RateLimit] Rate limit detected. Retrying in ${delayMs}ms (attempt ${attempt}/${maxRetries})`
            : `[RateLimit] Transient error${decision.status === undefined ? '' : ` (${decision.status})`}. Retrying in ${delayMs}ms (attempt ${attempt}/${maxRetries})`,
          context: scope.context,
          data: { delayMs, attempt, maxRetries, retryAfterMs: decision.retryAfterMs, status: decision.status, paced: snapshot.context.retryKind === 'paced' },
        });
        if (scope.onRetry !== undefined) {
          try {
            scope.onRetry({ attempt, delayMs, error, retryAfterMs: decision.retryAfterMs });
          } catch (hookError) {
            scope.abort(hookError);
            throw this.#aborted(scope, epoch);
          }
        }
        await leftBackingOff(retry);
        if (scope.aborted) throw this.#aborted(scope, epoch);
        if (scope.beforeRetry !== undefined) {
          try {
            await scope.wait(scope.beforeRetry({ attempt: attempt + 1, signal: scope.signal }));
          } catch (waitError) {
            if (!scope.aborted) scope.abort(waitError);
            throw this.#aborted(scope, epoch);
          }
        }

        const next = this.#admission.readmit(epoch);
        if (next === 'refused') {
          this.#end(scope, epoch);
          const rejection = this.#reject(error, scope.context);
          scope.abortRetry(rejection);
          throw rejection;
        }
        epoch = next;
        attempt++;
        this.#stats.retries++;
        slot = this.#takeSlot();
      }
    } catch (error) {
      if (!scope.ended) {
        // Anything unexpected (a throwing predicate, an abort): the call still ends, and any trial slot is given back.
        this.#end(scope, epoch);
        // Aborts were counted where they happened; anything else (a throwing predicate) is a failed call.
        if (!(scope.aborted && Object.is(error, scope.reason))) this.#stats.failures++;
      }
      throw error;
    } finally {
      this.#scopes.delete(scope);
      this.#signals.delete(scope);
      scope.retry?.stop();
    }
  }

  /** Takes the pacer's next slot, or `null` when the request may go now (or nothing paces it). */
  #takeSlot(): PacerSlot | null {
    const pacer = this.#pacer;
    if (pacer === undefined) return null;
    if (typeof pacer.queue === 'function') return pacer.queue();
    const wait = pacer.reserve();
    return wait > 0 ? fixedSlot(pacer, wait, this.options.clock) : null;
  }

  /**
   * Waits for the pacer's slot, which may move meanwhile (it is re-read whenever the call wakes). Returns the epoch the
   * call runs in; throws (after giving the slot back) when the call is aborted, when the circuit stops admitting it
   * meanwhile (every waiting call is turned away at once, not slot by slot), or when the wait is longer than
   * `maxRetryAfterMs` allows (the server said its quota is used up for longer).
   */
  async #waitForSlot(scope: CallScope, admittedEpoch: number, slot: PacerSlot, attempt: number, lastError: unknown): Promise<number> {
    const { clock, retry } = this.options;
    let epoch = admittedEpoch;
    this.#pacing.add(scope);
    slot.onMove = () => scope.wake();
    try {
      for (;;) {
        const wait = slot.dueInMs();
        if (wait <= 0) {
          slot.take();
          return epoch;
        }
        if (wait > retry.maxRetryAfterMs) {
          slot.cancel();
          this.#end(scope, epoch);
          this.#stats.failures++;
          throw new RetriesExhaustedError({ attempts: attempt - 1, retryAfterMs: wait, cause: lastError, retryAfterTooLong: true });
        }
        try {
          await scope.sleep(wait, clock);
        } catch {
          slot.cancel();
          throw this.#aborted(scope, epoch);
        }
        if (scope.aborted) {
          slot.cancel();
          throw this.#aborted(scope, epoch);
        }
        // The circuit may have opened while this call waited for its slot.
        const readmitted = this.#admission.readmit(epoch);
        if (readmitted === 'refused') {
          slot.cancel();
          this.#end(scope, epoch);
          throw this.#reject(lastError, scope.context);
        }
        epoch = readmitted;
      }
    } finally {
      slot.onMove = null;
      this.#pacing.delete(scope);
    }
  }

  #aborted(scope: CallScope, epoch: number): unknown {
    this.#stats.aborted++;
    scope.abortRetry(scope.reason);
    this.#end(scope, epoch);
    return scope.reason;
  }

  #startRetry(): RetryActor {
    const { retry, clock, inspect, machines } = this.options;
    return createActor(machines.retry, { input: { policy: retry }, clock, inspect }).start();
  }

  #reject(cause: unknown, context: unknown): CircuitOpenError {
    this.#stats.rejections++;
    const error = this.#openError(cause);
    this.#log({
      level: 'info',
      event: 'call-rejected',
      message: `[RateLimit] Circuit ${error.state}: call rejected without being tried`,
      context,
      data: { state: error.state, retryAfterMs: error.retryAfterMs },
    });
    return error;
  }

  /** The error of a call the circuit does not admit (or whose failure has just opened it). */
  #openError(cause: unknown, tripped = false): CircuitOpenError {
    const snapshot = this.circuit.getSnapshot();
    const { context: c } = snapshot;
    const state = snapshot.value === 'closed' ? 'open' : snapshot.value;
    const retryAfterMs =
      state === 'open' && c.openedAt !== null
        ? Math.max(0, c.openedAt + c.openDurationMs - this.options.clock.now())
        : null;
    // A call turned away carries no failure of its own: the reason is the one the machine recorded when it opened.
    const reason = cause === undefined && state !== 'isolated' ? c.openReason : undefined;
    return new CircuitOpenError({ retryAfterMs, state, cause, tripped, ...(reason === undefined ? {} : { reason }) });
  }

  /** Records a success. Never throws: the call succeeded, whatever its value or a custom pacer does. */
  #succeeded(epoch: number, value: unknown): void {
    this.#stats.successes++;
    // The pacer hears of it even after stop(): a shared pacer must not keep this request counted as in flight.
    pacerHeardSuccess(this.#pacer, value);
    if (this.#stopped) return;
    const snapshot = this.circuit.getSnapshot();
    if (snapshot.value === 'closed' && snapshot.context.consecutiveFailures === 0 && !this.#reportsEverySuccess) return;
    if (snapshot.context.epoch !== epoch) return;
    this.circuit.send({ type: 'SUCCESS', at: this.options.clock.now(), epoch });
  }

  /** Records a failed call; returns true when its failure opened the circuit. */
  #failed(scope: CallScope, epoch: number, decision: Decision): boolean {
    this.#stats.failures++;
    if (!decision.countsAsFailure || this.#stopped) {
      this.#end(scope, epoch);
      return false;
    }
    scope.ended = true;
    const before = this.circuit.getSnapshot().value;
    this.#eventContext = scope.context;
    try {
      // The circuit honours the server's wait, but no longer than the longest wait the options allow anywhere.
      const { retry, circuit } = this.options;
      const cap = Math.max(circuit.maxOpenDurationMs, retry.maxRetryAfterMs);
      const retryAfterMs = decision.retryAfterMs === null ? null : Math.min(decision.retryAfterMs, cap);
      this.circuit.send({ type: 'FAILURE', at: this.options.clock.now(), epoch, retryAfterMs, rateLimited: decision.rateLimited });
    } finally {
      this.#eventContext = undefined;
    }
    return before !== 'open' && this.circuit.getSnapshot().value === 'open';
  }

  /**
   * The call ended without a verdict on the server's health: give back a trial slot if it held one. Once per call: an
   * aborted trial must not give back a second slot, another trial's.
   */
  #end(scope: CallScope, epoch: number): void {
    if (scope.ended) return;
    scope.ended = true;
    this.#settle(epoch);
  }

  /** The call ended without a verdict on the server's health: give back a trial slot if it held one. */
  #settle(epoch: number): void {
    if (this.#stopped) return; // the circuit is stopped: nothing to give back
    const snapshot = this.circuit.getSnapshot();
    if (snapshot.value === 'halfOpen' && snapshot.context.epoch === epoch) this.circuit.send({ type: 'IGNORED', epoch });
  }

  getCircuitState(): CircuitState {
    const snapshot = this.circuit.getSnapshot();
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
    const subscription = this.circuit.subscribe(() => {
      const state = this.getCircuitState();
      if (state !== last) {
        last = state;
        listener(state);
      }
    });
    return () => subscription.unsubscribe();
  }

  resetCircuit(): void {
    this.circuit.send({ type: 'RESET' });
  }

  isolate(): IsolationHandle {
    this.circuit.send({ type: 'ISOLATE', at: this.options.clock.now() });
    const isolation = this.#isolation;
    let disposed = false;
    const dispose = (): void => {
      if (disposed) return;
      disposed = true;
      // A handle of an isolation that endIsolation() ended must not release a later one.
      if (isolation === this.#isolation) this.circuit.send({ type: 'RELEASE' });
    };
    return { dispose, [Symbol.dispose]: dispose };
  }

  endIsolation(): void {
    if (this.circuit.getSnapshot().value !== 'isolated') return;
    this.#isolation++;
    this.circuit.send({ type: 'END_ISOLATION' });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  getStats(): ExecutorStats {
    return { ...this.#stats };
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
    this.circuit.stop();
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
 * @example
 * const executor = createExecutor({ maxRetries: 3, openDurationMs: 60_000 })
 * const contacts = await executor.execute(({ signal }) => fetch('/api/contacts', { signal }).then(ok))
 */
export function createExecutor(options?: ExecutorOptions): Executor {
  return new MachineExecutor(options);
}

export type { AttemptContext };
