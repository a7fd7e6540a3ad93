import type { Actor } from 'xstate';
import type { RetryMachine } from '../../machines/retry.machine.js';
import { summarizeError } from '../security/redactSecrets.js';
import { AttemptTimeoutError } from '../errors/AttemptTimeoutError.js';
import type { ResolvedOptions } from '../options.js';
import type { ExecuteOptions, Operation } from '../types.js';

type RetryActor = Actor<RetryMachine>;

/**
 * The life of one call that left the fast path (it has a signal of its own, a timeout, or its first attempt failed).
 * It owns the retry actor and, with a timeout, the attempt's AbortController, so that an abort reaches them at once.
 *
 * Signals are dear in Node (building one costs ~10 µs), so an attempt gets the caller's signal, or the executor's when
 * the caller gave none; only an attempt with a timeout gets a signal of its own.
 */
export class CallScope {
  aborted = false;
  reason: unknown = undefined;
  retry: RetryActor | undefined = undefined;
  /** The circuit has heard how this call ended (success, failure, or a trial slot given back): it hears it once. */
  ended = false;
  /** Ends a wait for a pacer slot early (the circuit stopped admitting calls). */
  private wakePending: (() => void) | undefined = undefined;
  /** Rejects the attempt or the wait in progress, if any. */
  private rejectPending: ((reason: unknown) => void) | undefined = undefined;
  private attemptController: AbortController | undefined = undefined;
  /** Clears the timer of the attempt or wait in progress, so an abort leaves no timer behind. */
  private clearPending: (() => void) | undefined = undefined;

  constructor(
    readonly context: unknown,
    readonly idempotent: boolean,
    /** The signal attempts receive when they have no timeout. */
    readonly signal: AbortSignal,
    /** The caller's own signal, if any (watched by the executor's {@link SignalWatch}). */
    readonly userSignal: AbortSignal | undefined,
    readonly onRetry: ExecuteOptions['onRetry'],
    readonly beforeRetry: ExecuteOptions['beforeRetry'],
  ) {}

  /** Waits for `pending`; rejects at once with the abort reason if the call is aborted meanwhile. */
  wait(pending: PromiseLike<void> | void): Promise<void> {
    if (this.aborted) return Promise.reject(this.reason);
    return new Promise<void>((resolve, reject) => {
      const finish = (): void => {
        if (this.rejectPending === onAbort) this.rejectPending = undefined;
      };
      const onAbort = (reason: unknown): void => {
        finish();
        reject(reason);
      };
      this.rejectPending = onAbort;
      Promise.resolve(pending).then(
        () => {
          finish();
          resolve();
        },
        (error: unknown) => {
          finish();
          reject(error);
        },
      );
    });
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.attemptController?.abort(reason);
    const clear = this.clearPending;
    const reject = this.rejectPending;
    this.clearPending = undefined;
    this.rejectPending = undefined;
    clear?.();
    reject?.(reason);
    this.abortRetry(reason);
  }

  /** Ends the retry loop as `aborted`, once: a finished actor is left alone (XState warns about events to it). */
  abortRetry(reason: unknown): void {
    const retry = this.retry;
    if (retry !== undefined && retry.getSnapshot().status === 'active') retry.send({ type: 'ABORT', reason: summarizeError(reason) });
  }

  /** Runs one attempt; rejects at once on abort or timeout, whatever the operation does. */
  run<T>(operation: Operation<T>, attempt: number, timeoutMs: number | null, clock: ResolvedOptions['clock']): Promise<T> {
    // An abort that landed between the end of a wait and this attempt: the operation is not run.
    if (this.aborted) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      let signal = this.signal;
      let timer: unknown;
      let controller: AbortController | undefined;
      if (timeoutMs !== null) {
        controller = new AbortController();
        this.attemptController = controller;
        signal = controller.signal;
        timer = clock.setTimeout(() => {
          timer = undefined;
          const error = new AttemptTimeoutError(timeoutMs);
          controller!.abort(error);
          reject(error);
        }, timeoutMs);
      }
      this.rejectPending = reject;
      const done = (): void => {
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = undefined;
        if (this.rejectPending === reject) this.rejectPending = undefined;
        if (this.clearPending === done) this.clearPending = undefined;
        if (controller !== undefined && this.attemptController === controller) this.attemptController = undefined;
      };
      this.clearPending = done;
      let pending: PromiseLike<T> | T;
      try {
        pending = operation({ signal, attempt });
      } catch (error) {
        done();
        reject(error);
        return;
      }
      Promise.resolve(pending).then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }

  /**
   * Waits `ms` on the clock; rejects at once with the abort reason if the call is aborted meanwhile, and resolves early
   * on {@link CallScope.wake}.
   */
  sleep(ms: number, clock: ResolvedOptions['clock']): Promise<void> {
    if (this.aborted) return Promise.reject(this.reason);
    return new Promise<void>((resolve, reject) => {
      const finish = (): void => {
        this.rejectPending = undefined;
        this.clearPending = undefined;
        this.wakePending = undefined;
      };
      const timer = clock.setTimeout(() => {
        finish();
        resolve();
      }, ms);
      this.clearPending = () => clock.clearTimeout(timer);
      this.rejectPending = (reason) => {
        finish();
        reject(reason);
      };
      this.wakePending = () => {
        clock.clearTimeout(timer);
        finish();
        resolve();
      };
    });
  }

  /** Ends the current wait early, if there is one. */
  wake(): void {
    this.wakePending?.();
  }
}
