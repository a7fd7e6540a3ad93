import { createActor, type Actor } from 'xstate';
import type { RetryMachine } from '../../machines/retry.machine.js';
import { RetriesExhaustedError } from '../errors/RetriesExhaustedError.js';
import type { ResolvedOptions } from '../options.js';
import { summarizeError } from '../security/redactSecrets.js';
import type { LogEntry, Operation } from '../types.js';
import type { Admission } from './Admission.js';
import type { CallScope } from './CallScope.js';
import type { CircuitReports } from './CircuitReports.js';
import { decideFailure, type FailureFacts } from './decideFailure.js';
import { leftBackingOff } from './leftBackingOff.js';
import { PacedRequest } from './PacedRequest.js';

type RetryActor = Actor<RetryMachine>;

/** What the attempt loop needs of its executor. */
export interface AttemptLoopParts {
  readonly options: Readonly<ResolvedOptions>;
  readonly admission: Admission;
  readonly reports: CircuitReports;
  readonly log: (entry: LogEntry) => void;
  /** Calls waiting for a pacer slot (woken at once when the circuit stops admitting calls). */
  readonly pacing: Set<CallScope>;
  /** Called once a call's scope is done with. */
  readonly ended: (scope: CallScope) => void;
}

/**
 * The attempts of one call that left the fast path: each waits for its pacer slot, runs, and on failure asks the retry
 * machine what next (retry after its delay, or give up and why); the executor carries out what the machine's snapshot
 * says. Admission between attempts is asked of the circuit. Each attempt's turn with the pacer is a
 * {@link PacedRequest}, ended exactly once (at the latest when the call ends).
 */
export class AttemptLoop {
  readonly #options: Readonly<ResolvedOptions>;
  readonly #pacer: ResolvedOptions['pacer'];
  readonly #admission: Admission;
  readonly #reports: CircuitReports;
  readonly #log: (entry: LogEntry) => void;
  readonly #pacing: Set<CallScope>;
  readonly #ended: (scope: CallScope) => void;

  constructor(parts: AttemptLoopParts) {
    this.#options = parts.options;
    this.#pacer = parts.options.pacer;
    this.#admission = parts.admission;
    this.#reports = parts.reports;
    this.#log = parts.log;
    this.#pacing = parts.pacing;
    this.#ended = parts.ended;
  }

  /**
   * The retry loop. `first` carries the outcome of an attempt already made on the fast path (its request still to be
   * ended); otherwise attempt `attempt` is made here, in `firstRequest`'s slot. The retry actor is created at the
   * first failure.
   */
  async run<T>(
    operation: Operation<T>,
    admittedEpoch: number,
    scope: CallScope,
    firstAttempt: number,
    first: { error: unknown } | undefined,
    firstRequest: PacedRequest | undefined,
  ): Promise<T> {
    let epoch = admittedEpoch;
    let attempt = firstAttempt;
    let pending = first;
    let request = firstRequest;
    let lastError: unknown = undefined;
    try {
      for (;;) {
        let error: unknown;
        if (pending !== undefined) {
          error = pending.error;
          pending = undefined;
        } else {
          if (request?.queued === true) epoch = await this.#waitForSlot(scope, epoch, request, attempt, lastError);
          let outcome: { value: T } | undefined;
          try {
            outcome = { value: await scope.run(operation, attempt, this.#options.attemptTimeoutMs, this.#options.clock) };
          } catch (caught) {
            error = caught;
          }
          // Outside the try: the attempt succeeded, and nothing the bookkeeping does can turn it into a failure.
          if (outcome !== undefined) {
            scope.retry?.send({ type: 'SUCCEEDED' });
            scope.ended = true;
            // The pacer hears of it even after stop(): a shared pacer must not keep this request counted as in flight.
            request?.succeeded(outcome.value);
            this.#reports.succeeded(epoch);
            return outcome.value;
          }
        }
        lastError = error;
        if (scope.aborted) {
          request?.abandon();
          throw this.#reports.aborted(scope, epoch);
        }

        let decision: FailureFacts;
        try {
          decision = decideFailure(error, attempt, scope.idempotent, this.#options);
        } catch (predicateError) {
          // A throwing predicate ends the call, and the pacer still hears that its request ended.
          request?.abandon();
          throw predicateError;
        }
        if (decision.rateLimited) this.#reports.stats.rateLimitedAttempts++;
        request?.failed(error, decision);
        // A predicate (shouldRetry, isFailure) may have aborted the call: it ends here, and no retry is planned.
        if (scope.aborted) throw this.#reports.aborted(scope, epoch);
        const retry = (scope.retry ??= this.#startRetry());
        const budget = this.#options.retryBudget;
        retry.send({
          type: 'FAILED',
          // The machine (and so the inspector) gets a credential-free summary; the error itself stays with the caller.
          error: summarizeError(error),
          retryable: decision.retryable,
          retryAfterMs: decision.retryAfterMs,
          random: this.#options.random(),
          budgetAllows: budget === undefined || budget.available() >= 1,
          paced: decision.paced,
        });
        const snapshot = retry.getSnapshot();
        if (snapshot.value === 'rejected') {
          this.#reports.failed(scope, epoch, decision);
          throw error;
        }
        if (snapshot.value === 'exhausted') {
          const tooLong = snapshot.context.giveUpReason === 'retry-after-too-long';
          const tripped = this.#reports.failed(scope, epoch, decision);
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
          if (tripped) throw this.#reports.openError(error, true);
          throw new RetriesExhaustedError({
            attempts: attempt,
            retryAfterMs: snapshot.context.lastRetryAfterMs,
            cause: error,
            retryAfterTooLong: tooLong,
          });
        }
        if (snapshot.value !== 'backingOff') throw this.#reports.aborted(scope, epoch);
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
            throw this.#reports.aborted(scope, epoch);
          }
        }
        await leftBackingOff(retry);
        if (scope.aborted) throw this.#reports.aborted(scope, epoch);
        if (scope.beforeRetry !== undefined) {
          try {
            await scope.wait(scope.beforeRetry({ attempt: attempt + 1, signal: scope.signal }));
          } catch (waitError) {
            if (!scope.aborted) scope.abort(waitError);
            throw this.#reports.aborted(scope, epoch);
          }
        }

        const next = this.#admission.readmit(epoch);
        if (next === 'refused') {
          this.#reports.end(scope, epoch);
          const rejection = this.#reports.reject(error, scope.context);
          scope.abortRetry(rejection);
          throw rejection;
        }
        epoch = next;
        attempt++;
        this.#reports.stats.retries++;
        request = this.takeTurn();
      }
    } catch (error) {
      if (!scope.ended) {
        // Anything unexpected (a throwing predicate, an abort): the call still ends, and any trial slot is given back.
        this.#reports.end(scope, epoch);
        // Aborts were counted where they happened; anything else (a throwing predicate) is a failed call.
        if (!(scope.aborted && Object.is(error, scope.reason))) this.#reports.stats.failed++;
      }
      throw error;
    } finally {
      // Whatever ended the call, its last request ends with it (a no-op when it already has).
      request?.abandon();
      this.#ended(scope);
      scope.retry?.stop();
    }
  }

  /** The next attempt's turn with the pacer (`undefined` when nothing paces the calls). */
  takeTurn(): PacedRequest | undefined {
    return PacedRequest.take(this.#pacer, this.#options.clock);
  }

  /**
   * Waits for the pacer's slot, which may move meanwhile (it is re-read whenever the call wakes). Returns the epoch the
   * call runs in; throws (after giving the slot back) when the call is aborted, when the circuit stops admitting it
   * meanwhile (every waiting call is turned away at once, not slot by slot), or when the wait is longer than
   * `maxRetryAfterMs` allows (the server said its quota is used up for longer).
   */
  async #waitForSlot(scope: CallScope, admittedEpoch: number, slot: PacedRequest, attempt: number, lastError: unknown): Promise<number> {
    const { clock, retry } = this.#options;
    let epoch = admittedEpoch;
    this.#pacing.add(scope);
    slot.onMove = () => scope.wake();
    try {
      for (;;) {
        const wait = slot.dueInMs();
        if (wait <= 0) {
          slot.send();
          return epoch;
        }
        if (wait > retry.maxRetryAfterMs) {
          slot.abandon();
          this.#reports.end(scope, epoch);
          this.#reports.stats.failed++;
          throw new RetriesExhaustedError({ attempts: attempt - 1, retryAfterMs: wait, cause: lastError, retryAfterTooLong: true });
        }
        try {
          await scope.sleep(wait, clock);
        } catch {
          slot.abandon();
          throw this.#reports.aborted(scope, epoch);
        }
        if (scope.aborted) {
          slot.abandon();
          throw this.#reports.aborted(scope, epoch);
        }
        // The circuit may have opened while this call waited for its slot.
        const readmitted = this.#admission.readmit(epoch);
        if (readmitted === 'refused') {
          slot.abandon();
          this.#reports.end(scope, epoch);
          throw this.#reports.reject(lastError, scope.context);
        }
        epoch = readmitted;
      }
    } finally {
      slot.onMove = null;
      this.#pacing.delete(scope);
    }
  }

  /** The retry actor of a call, created at its first failure. */
  #startRetry(): RetryActor {
    const { retry, clock, inspect, machines } = this.#options;
    return createActor(machines.retry, { input: { policy: retry }, clock, inspect }).start();
  }
}
