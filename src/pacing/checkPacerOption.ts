import { createSystemClock } from '../clock.js';
import { describeValue } from '../options-shared.js';
import type { Clock } from '../types.js';
import { isPacerSharingLink, type PacerSharingLink } from './PacerSharingLink.js';
import type { PacerOptions } from './pacerTypes.js';

/** How long a pacer holds requests back at most when the server says its quota is used up, by default. @internal */
export const DEFAULT_MAX_WAIT_MS = 120_000;

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

/** A pacer's options, checked, with the defaults filled in. */
export interface PacerSettings {
  readonly clock: Clock;
  readonly random: () => number;
  readonly headroom: number;
  readonly decrease: number;
  /** `null`: a twentieth of the stated limit per second (2 without one). */
  readonly increasePerSecond: number | null;
  readonly minRate: number;
  readonly adaptiveBurst: number;
  readonly maxWaitMs: number;
  readonly initialRatePerSecond: number | null;
  readonly sharing: PacerSharingLink | undefined;
}

/** Checks a pacer's options (a TypeError or RangeError naming the first bad one) and fills in the defaults. */
export function resolvePacerSettings(options: PacerOptions): PacerSettings {
  const check = checkPacerOption;
  // Checked in this order: the first bad option is the one named.
  const headroom = check('headroom', options.headroom, 0.98, 0.01, 1);
  const decrease = check('decrease', options.decrease, 0.9, 0.01, 1);
  const increasePerSecond = options.increasePerSecond === undefined ? null : check('increasePerSecond', options.increasePerSecond, 2, 0, 1e6);
  const minRate = check('minRatePerSecond', options.minRatePerSecond, 0.5, 0.001, 1e9);
  const adaptiveBurst = check('adaptiveBurst', options.adaptiveBurst, 1, 1, 1e6);
  const maxWaitMs = check('maxWaitMs', options.maxWaitMs, DEFAULT_MAX_WAIT_MS, 0, 1e12);
  const initial = options.initialRatePerSecond;
  const initialRatePerSecond = initial === undefined || initial === null ? null : check('initialRatePerSecond', initial, 0, minRate, 1e9);
  const sharing = options.shareAcrossTabs;
  if (sharing !== undefined && !isPacerSharingLink(sharing)) {
    throw new TypeError(
      `xstate-circuit-breaker: pacer option "shareAcrossTabs" must be sharePacerAcrossTabs({ name }) from 'xstate-circuit-breaker/persist', got ${describeValue(sharing)}.`,
    );
  }
  const clock = options.clock ?? createSystemClock();
  const random = options.random ?? Math.random;
  return { clock, random, headroom, decrease, increasePerSecond, minRate, adaptiveBurst, maxWaitMs, initialRatePerSecond, sharing };
}
