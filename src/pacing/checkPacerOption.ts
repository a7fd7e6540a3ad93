import { describeValue } from '../options-shared.js';

/** A numeric pacer option: `fallback` when absent; a TypeError or RangeError naming it when invalid. */
export function checkPacerOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`xstate-circuit-breaker: pacer option "${name}" must be a number, got ${describeValue(value)}.`);
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`xstate-circuit-breaker: pacer option "${name}" must be >= ${min} and <= ${max}, got ${describeValue(value)}.`);
  }
  return value;
}
