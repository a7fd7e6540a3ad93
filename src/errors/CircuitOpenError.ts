import { hasErrorCode } from './hasErrorCode.js';
import { inspectSafely } from './inspectSafely.js';
import { failureMessage, failureReasonOf } from './failureReason.js';
import { MESSAGES, type FailureReason } from './messages.js';

/** The stable `code` of a {@link CircuitOpenError}, for a check that survives two copies of the package. */
export const CIRCUIT_OPEN_CODE = 'RATE_LIMIT_CIRCUIT_OPEN' as const;

/**
 * Thrown without trying the operation while the circuit is open, isolated, or half-open with every trial slot taken.
 *
 * Its message is {@link MESSAGES.circuitOpen} ("Too many requests. Wait 1-2 minutes before trying again.") when the
 * reason is `'rate-limited'`, and "The server is not answering. Next try in 42 s." when it is `'unavailable'`.
 *
 * @example
 * try { await executor.execute(op) } catch (e) {
 *   if (isCircuitOpenError(e)) notify(e.message, { retryInMs: e.retryAfterMs })
 * }
 */
export class CircuitOpenError extends Error {
  readonly code = CIRCUIT_OPEN_CODE;
  /** Time until the circuit lets the next trial through, or `null` while it is held open by hand. */
  readonly retryAfterMs: number | null;
  /** The circuit state that rejected the call. */
  readonly state: 'open' | 'halfOpen' | 'isolated';
  /**
   * Why the circuit is open, as the message tells it: `'rate-limited'` (a 429, or no cause known) or `'unavailable'`
   * (the server is not answering: 5xx, network error, timeout). Derived from `cause` unless given.
   */
  readonly reason: FailureReason;

  /**
   * True when this call was tried and its own failure opened the circuit (its `cause` is that failure); false when the
   * circuit turned the call away.
   */
  readonly tripped: boolean;

  constructor(options: {
    retryAfterMs: number | null;
    state: 'open' | 'halfOpen' | 'isolated';
    cause?: unknown;
    reason?: FailureReason;
    tripped?: boolean;
  }) {
    const hasCause = options.cause !== undefined;
    const reason = options.reason ?? failureReasonOf(options.cause, hasCause);
    super(failureMessage(reason, MESSAGES.circuitOpen, options.retryAfterMs), hasCause ? { cause: options.cause } : undefined);
    this.name = 'CircuitOpenError';
    this.retryAfterMs = options.retryAfterMs;
    this.state = options.state;
    this.reason = reason;
    this.tripped = options.tripped === true;
  }

  /** The operation's own error (the `cause`), or `undefined` when there is none; the name seed callers read. */
  get originalError(): unknown {
    return this.cause;
  }
  /** What `console.log`/`util.inspect` print: the cause summarised and redacted, never its request headers. */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    return inspectSafely(this, depth, options, inspect);
  }

}

/** True for a `CircuitOpenError`, also one thrown by another copy of this package. */
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return hasErrorCode(error, CircuitOpenError, CIRCUIT_OPEN_CODE);
}
