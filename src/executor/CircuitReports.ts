import type { Actor } from 'xstate';
import type { CircuitBreakerMachine, CircuitContext, CircuitEvent } from '../../machines/circuitBreaker.machine.js';
import { CircuitOpenError } from '../errors/CircuitOpenError.js';
import type { ResolvedOptions } from '../options.js';
import type { Clock, ExecutorStats, LogEntry } from '../types.js';
import type { CallScope } from './CallScope.js';
import type { FailureFacts } from './decideFailure.js';

type GuardArgs = { context: CircuitContext; event: CircuitEvent };
type SuccessGuard = (args: GuardArgs, params: undefined) => unknown;

/** A `SUCCESS` event whose `at` is read from the clock when a guard asks for it. */
class SuccessProbe {
  readonly type = 'SUCCESS';
  epoch = 0;
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  get at(): number {
    return this.#clock.now();
  }
}

/** The machine's own guard `name`: the implementation it was created with, or the one `.provide({ guards })` put there. */
function guardOf(machine: CircuitBreakerMachine, name: string): SuccessGuard {
  const guard = (machine.implementations.guards as Record<string, unknown>)[name];
  if (typeof guard !== 'function') throw new TypeError(`xstate-circuit-breaker: the circuit machine has no guard "${name}".`);
  return guard as SuccessGuard;
}

/** The executor's counters, written as calls end; `getStats()` adds their former names ({@link ExecutorStats}). */
export type MutableStats = { -readonly [K in CurrentStatName]: ExecutorStats[K] };
type CurrentStatName = 'calls' | 'succeeded' | 'failed' | 'retries' | 'rejected' | 'rateLimitedAttempts' | 'aborted';

/** What the reports need of their executor. */
export interface ReportSource {
  readonly log: (entry: LogEntry) => void;
  readonly stopped: () => boolean;
}

/**
 * How calls end, told to the circuit and the counters: a success, a failure (and whether it opened the circuit), an
 * end without a verdict (a trial slot given back), an abort, or a call the circuit refused.
 */
export class CircuitReports {
  readonly stats: MutableStats = { calls: 0, succeeded: 0, failed: 0, retries: 0, rejected: 0, rateLimitedAttempts: 0, aborted: 0 };
  /** The caller context of the result being sent to the circuit, for the log lines its transitions produce. */
  callContext: unknown = undefined;
  readonly #circuit: Actor<CircuitBreakerMachine>;
  readonly #options: Readonly<ResolvedOptions>;
  readonly #source: ReportSource;
  /** The circuit's own `successChangesNothing` guard (the provided one, if any). */
  readonly #successChangesNothing: SuccessGuard;
  /**
   * The SUCCESS the guard is asked about, reused: its time is read from the clock only if the guard reads it (reading
   * the system clock costs more than the rest of the success path on some hosts).
   */
  readonly #probe: SuccessProbe;
  /** The guard's arguments, reused too (the success path allocates nothing for it). */
  readonly #guardArgs: { context: CircuitContext; event: SuccessProbe };

  constructor(circuit: Actor<CircuitBreakerMachine>, options: Readonly<ResolvedOptions>, source: ReportSource) {
    this.#circuit = circuit;
    this.#options = options;
    this.#source = source;
    this.#successChangesNothing = guardOf(options.machines.circuit, 'successChangesNothing');
    this.#probe = new SuccessProbe(options.clock);
    this.#guardArgs = { context: undefined as unknown as CircuitContext, event: this.#probe };
  }

  /** Counts and logs a call the circuit turned away: the error it rejects with. */
  reject(cause: unknown, context: unknown): CircuitOpenError {
    this.stats.rejected++;
    const error = this.openError(cause);
    this.#source.log({
      level: 'info',
      event: 'call-rejected',
      message: `[RateLimit] Circuit ${error.state}: call rejected without being tried`,
      context,
      data: { state: error.state, retryAfterMs: error.retryAfterMs },
    });
    return error;
  }

  /** The error of a call the circuit does not admit (or whose failure has just opened it). */
  openError(cause: unknown, tripped = false): CircuitOpenError {
    const snapshot = this.#circuit.getSnapshot();
    const { context: c } = snapshot;
    const state = snapshot.value === 'closed' ? 'open' : snapshot.value;
    const retryAfterMs =
      state === 'open' && c.openedAt !== null
        ? Math.max(0, c.openedAt + c.openDurationMs - this.#options.clock.now())
        : null;
    // A call turned away carries no failure of its own: the reason is the one the machine recorded when it opened.
    const reason = cause === undefined && state !== 'isolated' ? c.openReason : undefined;
    return new CircuitOpenError({ retryAfterMs, state, cause, tripped, ...(reason === undefined ? {} : { reason }) });
  }

  /** Records a success (the pacer has heard of it from the call's request). Never throws: the call succeeded. */
  succeeded(epoch: number): void {
    this.stats.succeeded++;
    if (this.#source.stopped()) return;
    const snapshot = this.#circuit.getSnapshot();
    // While the circuit admits every call, its first SUCCESS transition is taken when this guard holds, and does
    // nothing: the circuit need not hear the success (the common case, kept cheap). Anything else, the machine decides,
    // a success from an older epoch included.
    if (snapshot.hasTag('admits')) {
      this.#probe.epoch = epoch;
      const args = this.#guardArgs;
      args.context = snapshot.context;
      const changesNothing = this.#successChangesNothing(args as unknown as GuardArgs, undefined);
      args.context = undefined as unknown as CircuitContext; // holds no snapshot past the call
      if (changesNothing) return;
    }
    this.#circuit.send({ type: 'SUCCESS', at: this.#options.clock.now(), epoch });
  }

  /** Records a failed call; returns true when its failure opened the circuit. */
  failed(scope: CallScope, epoch: number, decision: FailureFacts): boolean {
    this.stats.failed++;
    if (!decision.countsAsFailure || this.#source.stopped()) {
      this.end(scope, epoch);
      return false;
    }
    scope.ended = true;
    const before = this.#circuit.getSnapshot().value;
    this.callContext = scope.context;
    try {
      const { retryAfterMs, rateLimited } = decision;
      this.#circuit.send({ type: 'FAILURE', at: this.#options.clock.now(), epoch, retryAfterMs, rateLimited });
    } finally {
      this.callContext = undefined;
    }
    return before !== 'open' && this.#circuit.getSnapshot().value === 'open';
  }

  /**
   * The call ended without a verdict on the server's health: give back a trial slot if it held one. Once per call: an
   * aborted trial must not give back a second slot, another trial's.
   */
  end(scope: CallScope, epoch: number): void {
    if (scope.ended) return;
    scope.ended = true;
    this.#settle(epoch);
  }

  /** The call ended without a verdict on the server's health: give back a trial slot if it held one. */
  #settle(epoch: number): void {
    if (this.#source.stopped()) return; // the circuit is stopped: nothing to give back
    // Whether the call held a slot to give back is the machine's to say (a half-open trial of the current epoch).
    const ignored = { type: 'IGNORED' as const, epoch };
    if (this.#circuit.getSnapshot().can(ignored)) this.#circuit.send(ignored);
  }

  /** Counts an aborted call and ends it (its retry actor stopped, any trial slot given back): the abort reason. */
  aborted(scope: CallScope, epoch: number): unknown {
    this.stats.aborted++;
    scope.abortRetry(scope.reason);
    this.end(scope, epoch);
    return scope.reason;
  }
}
