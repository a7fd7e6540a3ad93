import { isAbortOrTimeout } from './isAbortOrTimeout.js';
import { readProperty } from './readProperty.js';

/** Socket and DNS failures: the request may or may not have reached the server. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** How far down `cause` (and supabase-js's `context`/`error`) chains to look: the error, its cause, the cause's cause. */
const MAX_DEPTH = 2;

const TYPE_ERROR_PREFIX = 'TypeError: ';

/**
 * True when a request failed to reach the server or to get an answer back: a fetch `TypeError`
 * (Node/undici "fetch failed", Chrome "Failed to fetch", Firefox "NetworkError when attempting to fetch resource.",
 * Safari "Load failed", "The network connection was lost.", "The Internet connection appears to be offline."),
 * or a socket/DNS error code (`ECONNREFUSED`, `ECONNRESET`, `EPIPE`, `ETIMEDOUT`, `ENOTFOUND`, `EAI_AGAIN`,
 * `ENETUNREACH`, `EHOSTUNREACH`, `UND_ERR_SOCKET`, `UND_ERR_CONNECT_TIMEOUT`, `UND_ERR_HEADERS_TIMEOUT`).
 *
 * Looks at the error, its `cause`, and the cause's `cause`; supabase-js wrappers are followed the same way through
 * `context` (`FunctionsFetchError`) and `error` (a PostgREST result whose `error.message` is `"TypeError: fetch failed"`).
 * A cancellation (`AbortError`, `TimeoutError`) is never a network error. Never throws.
 *
 * @example
 * const error = await fetch('http://127.0.0.1:9').catch((e: unknown) => e)
 * isNetworkError(error) // true: TypeError('fetch failed') with cause.code 'ECONNREFUSED'
 * isNetworkError(new DOMException('The operation was aborted.', 'AbortError')) // false
 */
export function isNetworkError(error: unknown): boolean {
  return check(error, 0);
}

function check(value: unknown, depth: number): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  if (isAbortOrTimeout(value)) return false;

  const code = readProperty(value, 'code');
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;

  const message = readProperty(value, 'message');
  if (typeof message === 'string') {
    if (readProperty(value, 'name') === 'TypeError') {
      if (isFetchFailure(message, 0)) return true;
    } else if (message.startsWith(TYPE_ERROR_PREFIX) && isFetchFailure(message, TYPE_ERROR_PREFIX.length)) {
      // A TypeError flattened into a message, as supabase-js does: "TypeError: fetch failed".
      return true;
    }
  }

  if (depth >= MAX_DEPTH) return false;
  return (
    check(readProperty(value, 'cause'), depth + 1) ||
    check(readProperty(value, 'context'), depth + 1) ||
    check(readProperty(value, 'error'), depth + 1)
  );
}

function isFetchFailure(message: string, at: number): boolean {
  return (
    message.startsWith('fetch failed', at) ||
    message.startsWith('Failed to fetch', at) ||
    message.startsWith('NetworkError when attempting to fetch resource', at) ||
    message.startsWith('Load failed', at) ||
    message.startsWith('The network connection was lost', at) ||
    message.startsWith('The Internet connection appears to be offline', at)
  );
}
