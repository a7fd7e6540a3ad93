import { readProperty } from './readProperty.js';

/**
 * True for a cancellation: a `DOMException` (or any error) named `AbortError` or `TimeoutError`, or Node's
 * `AbortError` code `ABORT_ERR`. Checked by name, not `instanceof`, so it works across realms. Never throws.
 *
 * @internal
 * @example
 * isAbortOrTimeout(new DOMException('The operation was aborted.', 'AbortError')) // true
 */
export function isAbortOrTimeout(error: unknown): boolean {
  const name = readProperty(error, 'name');
  return name === 'AbortError' || name === 'TimeoutError' || readProperty(error, 'code') === 'ABORT_ERR';
}
