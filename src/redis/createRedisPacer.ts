import { createSystemClock } from '../clock.js';
import { describeValue, isClock } from '../options-shared.js';
import { AdaptivePacer } from '../pacing/AdaptivePacer.js';
import { createPacer } from '../pacing/createPacer.js';
import { RedisBucketLink, type RedisPacerClient } from './RedisBucketLink.js';
import { RedisPacer as RedisPacerImpl } from './RedisPacer.js';
import type { RedisPacer, RedisPacerOptions } from './redisPacerTypes.js';

export type { RedisPacerClient } from './RedisBucketLink.js';
export type { RedisPacer, RedisPacerOptions, RedisPacerStats } from './redisPacerTypes.js';

const OPTIONS = ['prefix', 'name', 'timeoutMs', 'retryAfterMs', 'forgetAfterMs', 'pacer', 'clock', 'onError'];
const MAX_KEY_PART = 256;

/**
 * Creates a pacer whose token bucket lives in Redis, so that several processes (an import split over workers, a
 * fleet of servers) keep one rate against one server's limit. Each slot is drawn by one atomic script on Redis's own
 * clock. The rate is learnt in each process by a local `createPacer()` pacer from its own answers, and every draw tells
 * the bucket what it learnt. How the processes agree: a limit a server states (rate-limit headers) is the fleet's
 * rate, less the pacer's headroom (the lowest, if processes read different ones), cut to 0.9 of it when any process
 * meets a 429 (once per 500 ms) and growing back by a twentieth of it per second; without one, each pacer learns its
 * part of the limit from its own 429s and the fleet goes at the sum of the parts (a process that learnt nothing yet
 * counts at the mean part). A process stops counting `forgetAfterMs` after its last draw. A hold the server asked for
 * (`RateLimit-Remaining: 0` until its reset) holds the whole fleet. Slots are one interval apart (no burst).
 * `reserve()` cannot wait for Redis and paces with the local pacer; the executor uses `queue()`.
 *
 * Redis is optional at run time: while the client is not ready, when a draw is not answered within `timeoutMs`, or
 * fails, the local pacer paces this process alone; after `retryAfterMs` the shared bucket is tried again. No call
 * fails because of Redis. The client (node-redis, connected by you, with an `'error'` listener) is not closed by the
 * pacer.
 *
 * @throws {@link TypeError} when `client` is not a node-redis client, `options` is not an object, names an unknown
 * option, or an option has the wrong type (the local pacer's options included).
 * @throws {@link RangeError} when a numeric option is out of its range.
 * @example
 * const client = createClient({ url: process.env.REDIS_URL })
 * client.on('error', (error) => console.warn('redis', error))
 * await client.connect()
 * const pacer = createRedisPacer(client, { prefix: 'myapp:', name: 'supabase' })
 * const executor = createExecutor({ pacer })
 */
export function createRedisPacer(client: RedisPacerClient, options: RedisPacerOptions): RedisPacer {
  if (typeof client !== 'object' || client === null || typeof client.sendCommand !== 'function' || typeof client.isReady !== 'boolean') {
    throw new TypeError(
      `xstate-circuit-breaker: createRedisPacer() client must be a node-redis client (createClient() from 'redis', connected), got ${describeValue(client)}.`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`xstate-circuit-breaker: createRedisPacer() options must be an object with prefix and name, got ${describeValue(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw new TypeError(`xstate-circuit-breaker: unknown createRedisPacer() option "${key}". Known options: ${OPTIONS.join(', ')}.`);
    }
  }
  const prefix = keyPart('prefix', options.prefix, true);
  const name = keyPart('name', options.name, false);
  const timeoutMs = milliseconds('timeoutMs', options.timeoutMs, 250, 1, 60_000);
  const retryAfterMs = milliseconds('retryAfterMs', options.retryAfterMs, 1000, 0, 3_600_000);
  const forgetAfterMs = milliseconds('forgetAfterMs', options.forgetAfterMs, 30_000, 100, 86_400_000);
  const { clock: givenClock, onError } = options;
  if (givenClock !== undefined && !isClock(givenClock)) {
    throw new TypeError(
      `xstate-circuit-breaker: createRedisPacer() option "clock" must be an object with now(), setTimeout() and clearTimeout(), got ${describeValue(givenClock)}.`,
    );
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError(`xstate-circuit-breaker: createRedisPacer() option "onError" must be a function, got ${describeValue(onError)}.`);
  }
  const pacerOptions: unknown = options.pacer ?? {};
  if (typeof pacerOptions !== 'object' || pacerOptions === null) {
    throw new TypeError(`xstate-circuit-breaker: createRedisPacer() option "pacer" must be an object of createPacer() options, got ${describeValue(pacerOptions)}.`);
  }
  for (const key of ['clock', 'shareAcrossTabs']) {
    if (key in pacerOptions) {
      throw new TypeError(
        `xstate-circuit-breaker: createRedisPacer() option "pacer.${key}" is not supported: ${key === 'clock' ? 'pass "clock" next to "pacer"' : 'the Redis bucket is what the processes share'}.`,
      );
    }
  }
  const clock = givenClock ?? createSystemClock();
  const local = createPacer({ ...pacerOptions, clock });
  // createPacer() makes an AdaptivePacer; the Redis pacer needs its sentPacedElsewhere().
  if (!(local instanceof AdaptivePacer)) throw new TypeError('xstate-circuit-breaker: createRedisPacer() needs the pacer createPacer() makes.');
  const key = `${prefix}pacer:${name}`;
  const link = new RedisBucketLink(client, { key, member: globalThis.crypto.randomUUID(), timeoutMs, forgetMs: forgetAfterMs, clock });
  return new RedisPacerImpl({ local, link, key, clock, timeoutMs, retryAfterMs, forgetAfterMs, onError });
}

function keyPart(option: 'prefix' | 'name', value: unknown, mayBeEmpty: boolean): string {
  if (typeof value !== 'string') {
    throw new TypeError(`xstate-circuit-breaker: createRedisPacer() option "${option}" must be a string, got ${describeValue(value)}.`);
  }
  if ((!mayBeEmpty && value.length === 0) || value.length > MAX_KEY_PART) {
    throw new RangeError(
      `xstate-circuit-breaker: createRedisPacer() option "${option}" must be ${mayBeEmpty ? '' : '1 to '}${MAX_KEY_PART} characters at most, got ${describeValue(value)}.`,
    );
  }
  return value;
}

function milliseconds(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`xstate-circuit-breaker: createRedisPacer() option "${option}" must be a number of milliseconds, got ${describeValue(value)}.`);
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`xstate-circuit-breaker: createRedisPacer() option "${option}" must be >= ${min} and <= ${max}, got ${describeValue(value)}.`);
  }
  return value;
}
