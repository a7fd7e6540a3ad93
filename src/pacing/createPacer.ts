import { describeValue, isClock } from '../options-shared.js';
import { AdaptivePacer } from './AdaptivePacer.js';
import type { Pacer, PacerOptions } from './pacerTypes.js';

export { DEFAULT_MAX_WAIT_MS } from './AdaptivePacer.js';
export type { PacingSource, PacerState, PacerOptions, PacerSharing, PacerSharingStats, PacerSlot, Pacer } from './pacerTypes.js';

/**
 * Creates a pacer. It sends freely until the server says something: rate-limit headers (`RateLimit-*`, `RateLimit`
 * with `RateLimit-Policy`, `X-RateLimit-*`) set the rate directly; without them, each 429 sets it from the rate the
 * server accepted and backs off multiplicatively, and successes raise it additively (AIMD).
 *
 * @throws {@link TypeError} when `options` is not an object, names an unknown option, or an option has the wrong type.
 * @throws {@link RangeError} when a numeric option is out of its range.
 * @example
 * const pacer = createPacer()
 * const contacts = createExecutor({ pacer })
 * const deals = createExecutor({ pacer }) // same server, same limit
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: createPacer() options must be an object, got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!PACER_OPTIONS.has(key)) {
      throw new TypeError(`xstate-circuit-breaker: unknown pacer option "${key}". Known options: ${[...PACER_OPTIONS].join(', ')}.`);
    }
  }
  const { clock } = options;
  if (clock !== undefined && !isClock(clock)) {
    throw new TypeError(`xstate-circuit-breaker: pacer option "clock" must be an object with now(), setTimeout() and clearTimeout(), got ${describeValue(clock)}.`);
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new TypeError(`xstate-circuit-breaker: pacer option "random" must be a function returning a number in [0, 1), got ${describeValue(options.random)}.`);
  }
  return new AdaptivePacer(options);
}

const PACER_OPTIONS = new Set([
  'headroom',
  'decrease',
  'increasePerSecond',
  'minRatePerSecond',
  'initialRatePerSecond',
  'adaptiveBurst',
  'maxWaitMs',
  'clock',
  'random',
  'shareAcrossTabs',
]);
