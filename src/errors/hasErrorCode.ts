/**
 * True when `error` is an instance of `type` or carries the stable `code` (an error of another copy of this package).
 * Never throws: an error whose `code` getter throws, or a `Proxy` whose prototype cannot be read, is simply not one
 * of ours, so checking it never replaces the operation's own error.
 *
 * @internal
 * @example
 * hasErrorCode(error, CircuitOpenError, CIRCUIT_OPEN_CODE)
 */
export function hasErrorCode(error: unknown, type: abstract new (...args: never[]) => unknown, code: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  try {
    return error instanceof type || (error as { code?: unknown }).code === code;
  } catch {
    return false;
  }
}
