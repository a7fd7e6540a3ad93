import { inspectSafely } from './inspectSafely.js';
import { MESSAGES } from './messages.js';

export const CIRCUIT_OPEN_CODE = 'RATE_LIMIT_CIRCUIT_OPEN' as const;

/**
 * Thrown without trying the operation while the circuit is open, isolated, or half-open with every trial slot taken.
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
   * True when this call was tried and its own failure opened the circuit (its `cause` is that failure); false when the
   * circuit turned the call away.
   */
  readonly tripped: boolean;

  constructor(options: { retryAfterMs: number | null; state: 'open' | 'halfOpen' | 'isolated'; cause?: unknown; tripped?: boolean }) {
    super(MESSAGES.circuitOpen, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CircuitOpenError';
    this.retryAfterMs = options.retryAfterMs;
    this.state = options.state;
    this.tripped = options.tripped === true;
  }
  /** What `console.log`/`util.inspect` print: the cause summarised and redacted, never its request headers. */
  [Symbol.for('nodejs.util.inspect.custom')](depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    return inspectSafely(this, depth, options, inspect);
  }

}

/** True for a `CircuitOpenError`, also one thrown by another copy of this package. */
export function isCircuitOpenError(error: unknown): error is CircuitOpenError {
  return error instanceof CircuitOpenError || (isObject(error) && error.code === CIRCUIT_OPEN_CODE);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
