import type { Clock } from './types.js';

/** Renders a bad value for an error message without ever throwing. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** True for an object with the clock methods the executor and the pacer use. */
export function isClock(value: unknown): value is Clock {
  const c = value as Partial<Clock> | null;
  return (
    typeof c === 'object' && c !== null && typeof c.now === 'function' && typeof c.setTimeout === 'function' && typeof c.clearTimeout === 'function'
  );
}

/** True for an AbortSignal (or anything that behaves as one: `aborted` and `addEventListener`). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  const s = value as Partial<AbortSignal> | null;
  return typeof s === 'object' && s !== null && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function';
}

/**
 * Throws a `TypeError` naming the first key of `value` not in `known`, by its full path (`failureRate.treshold`),
 * and listing the known keys, so a typo in nested options is never silently ignored.
 */
export function rejectUnknownKeys(value: object, known: ReadonlySet<string> | readonly string[], path: string, owner = ''): void {
  const names = Array.isArray(known) ? new Set(known) : (known as ReadonlySet<string>);
  for (const key of Object.keys(value)) {
    if (!names.has(key)) {
      const full = path === '' ? key : `${path}.${key}`;
      throw new TypeError(`xstate-circuit-breaker: ${owner}unknown option "${full}". Known options: ${[...names].join(', ')}.`);
    }
  }
}
