import { readProperty } from './readProperty.js';

/**
 * True for a fetch `Response`, or anything shaped like one: a numeric `status` and `headers` with a `get` method.
 * Duck-typed so a `Response` from another realm or a polyfill counts too. Never throws.
 *
 * @internal
 * @example
 * isResponseLike(new Response(null, { status: 429 })) // true
 */
export function isResponseLike(value: unknown): boolean {
  return (
    typeof readProperty(value, 'status') === 'number' &&
    typeof readProperty(readProperty(value, 'headers'), 'get') === 'function'
  );
}
