/**
 * Reads `value[key]` without ever throwing: a primitive, `null`, a getter that throws or a revoked `Proxy` all give
 * `undefined`. Classification only inspects an error; a value it cannot read is a value it does not recognise.
 *
 * @internal
 * @example
 * readProperty({ status: 429 }, 'status') // 429
 * readProperty(null, 'status') // undefined
 */
export function readProperty(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
