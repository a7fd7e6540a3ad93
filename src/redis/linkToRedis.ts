import { createSystemClock } from '../clock.js';
import { describeValue, isClock, rejectUnknownKeys } from '../options-shared.js';
import { PERSISTENCE, type CircuitLink, type CircuitPersistence } from '../sync/CircuitPersistence.js';
import { persistCircuit } from '../sync/persistCircuit.js';
import type { CircuitStorage, SyncChannel } from '../sync/types.js';
import type { LogEntry } from '../types.js';
import { createLeaseLocks } from './createLeaseLocks.js';
import { RedisLink, type LinkChange, type LinkSettings } from './RedisLink.js';
import { createRedisPacer, type RedisPacerClient } from './createRedisPacer.js';
import type { RedisPacer } from './redisPacerTypes.js';
import type { FleetPacerOptions, FleetPersistOptions, FleetRedisClient, LinkToRedisOptions, RedisFleet } from './types.js';

const LINK_OPTION_KEYS = ['prefix', 'commandTimeoutMs', 'rejoinIntervalMs', 'clock'] as const;
const PERSIST_OPTION_KEYS = ['name', 'trialLeaseMs'] as const;
const MAX_PREFIX_LENGTH = 200;

function fail(kind: 'range' | 'type', name: string, expected: string, value: unknown): never {
  const message = `xstate-circuit-breaker: option "${name}" must be ${expected}, got ${describeValue(value)}.`;
  throw kind === 'range' ? new RangeError(message) : new TypeError(message);
}

function milliseconds(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') fail('type', name, 'a number', value);
  if (!Number.isFinite(value) || value < min || value > max) fail('range', name, `a number of milliseconds from ${min} to ${max}`, value);
  return value;
}

function isClient(value: unknown): value is FleetRedisClient {
  const c = value as Partial<Record<keyof FleetRedisClient, unknown>> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.isReady === 'boolean' &&
    typeof c.isOpen === 'boolean' &&
    ['duplicate', 'withAbortSignal', 'get', 'set', 'eval', 'publish', 'on', 'off'].every(
      (method) => typeof c[method as keyof FleetRedisClient] === 'function',
    )
  );
}

function resolveLinkOptions(options: LinkToRedisOptions | undefined): LinkSettings {
  if (options === undefined) return { prefix: '', commandTimeoutMs: 250, rejoinIntervalMs: 1_000, clock: createSystemClock() };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`xstate-circuit-breaker: the options of linkToRedis must be an object such as { prefix: 'myapp:' }, got ${describeValue(options)}.`);
  }
  rejectUnknownKeys(options, LINK_OPTION_KEYS, 'redis');
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') fail('type', 'redis.prefix', 'a string', prefix);
  if (prefix.length > MAX_PREFIX_LENGTH) fail('range', 'redis.prefix', `a string of at most ${MAX_PREFIX_LENGTH} characters`, prefix);
  const clock = options.clock ?? createSystemClock();
  if (!isClock(clock)) fail('type', 'redis.clock', 'a clock with now, setTimeout and clearTimeout', clock);
  return {
    prefix,
    commandTimeoutMs: milliseconds('redis.commandTimeoutMs', options.commandTimeoutMs, 250, 1, 60_000),
    rejoinIntervalMs: milliseconds('redis.rejoinIntervalMs', options.rejoinIntervalMs, 1_000, 10, 600_000),
    clock,
  };
}

/**
 * Links the circuits of this process to the same circuits in every other process linked to the same Redis (and
 * prefix): one opening, seen by any process, opens the circuit in all; one process of the fleet runs each half-open
 * trial; a close is shared the same way. Pass `fleet.persist({ name })` as `createExecutor({ persist })`.
 *
 * The executor never waits on Redis for a decision: the circuit's record is read from a copy kept in this process, and
 * writes, messages and the trial lease go to Redis in the background, each command bounded by `commandTimeoutMs`.
 * When Redis is unreachable (at start or mid-run) or too slow, every process runs its own circuit, the executor's
 * `logger` gets one `fleet-link-down` entry, and one `fleet-link-up` entry when the link has rejoined (re-read the
 * records, re-subscribed). A process killed while holding the trial lease blocks the others for at most `trialLeaseMs`.
 *
 * @param client A node-redis client (`createClient()` from `redis`) on which `connect()` has been called; it may still
 *   be connecting. The link opens one more connection (`client.duplicate()`) for pub/sub and never closes `client`.
 * @throws {TypeError} `client` is not a node-redis client, or has not been connected (`connect()` not called, or closed).
 * @throws {TypeError | RangeError} An option is of the wrong type, out of range, or unknown (naming it, `redis.prefix`).
 * @example
 * import { createClient } from 'redis'
 * import { createExecutor } from 'xstate-circuit-breaker'
 * import { linkToRedis } from 'xstate-circuit-breaker/redis'
 *
 * const client = createClient({ url: process.env.REDIS_URL })
 * client.on('error', (error) => console.warn('redis', error.message))
 * await client.connect()
 * const fleet = linkToRedis(client, { prefix: 'myapp:' })
 * const executor = createExecutor({ persist: fleet.persist({ name: 'supabase' }), logger: console.log })
 */
export function linkToRedis(client: FleetRedisClient, options?: LinkToRedisOptions): RedisFleet {
  if (!isClient(client)) {
    throw new TypeError(`xstate-circuit-breaker: linkToRedis needs a node-redis client (createClient() from 'redis'), got ${describeValue(client)}.`);
  }
  if (!client.isOpen) {
    throw new TypeError('xstate-circuit-breaker: the Redis client given to linkToRedis is not open: call client.connect() first.');
  }
  const settings = resolveLinkOptions(options);
  const link = new RedisLink(client, settings);
  return {
    persist: (given) => persistOnFleet(link, given),
    pacer: (given) => pacerOnFleet(client, settings, given),
    get state() {
      return link.state;
    },
    getStats: () => link.getStats(),
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError(`xstate-circuit-breaker: fleet.subscribe() needs a function, got ${describeValue(listener)}.`);
      return link.onChange(({ state }) => listener(state));
    },
    close: () => link.close(),
  };
}

/** `fleet.pacer()`: a Redis pacer on the link's client, under its prefix and on its clock. */
function pacerOnFleet(client: FleetRedisClient, settings: LinkSettings, options: FleetPacerOptions): RedisPacer {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`xstate-circuit-breaker: fleet.pacer() needs options such as { name: 'supabase' }, got ${describeValue(options)}.`);
  }
  for (const own of ['prefix', 'clock']) {
    if (own in options) throw new TypeError(`xstate-circuit-breaker: fleet.pacer() takes no "${own}": it is the link's (set it in linkToRedis).`);
  }
  // node-redis clients have sendCommand (createRedisPacer checks it); the link's own type names only what it uses.
  return createRedisPacer(client as unknown as RedisPacerClient, { ...options, prefix: settings.prefix, clock: settings.clock });
}

/** `fleet.persist()`: `persistCircuit`'s machinery with Redis as storage, channel and trial lock. */
function persistOnFleet(link: RedisLink, options: FleetPersistOptions): CircuitPersistence {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`xstate-circuit-breaker: fleet.persist() needs options such as { name: 'api' }, got ${describeValue(options)}.`);
  }
  rejectUnknownKeys(options, PERSIST_OPTION_KEYS, 'persist');
  const storage: CircuitStorage = {
    getItem: (key) => link.read(key),
    setItem: (key, value) => link.write(key, value),
    // Records are never removed by a circuit that has Web-Locks-shaped trials (the only kind a fleet has).
    removeItem: () => undefined,
  };
  const base = persistCircuit({
    name: options.name,
    storage,
    shareAcrossTabs: true,
    createChannel: () => {
      const listeners = new Set<(event: { data: unknown }) => void>();
      const circuit = link.track(options.name, listeners);
      const channel: SyncChannel = {
        postMessage: (message) => link.publish(circuit, listeners, message),
        addEventListener: (_type, listener) => void listeners.add(listener),
        removeEventListener: (_type, listener) => void listeners.delete(listener),
        close: () => link.untrack(circuit, listeners),
      };
      return channel;
    },
    locks: createLeaseLocks(link, () => link.find(options.name), options.trialLeaseMs ?? 5_000),
    ...(options.trialLeaseMs === undefined ? {} : { trialLeaseMs: options.trialLeaseMs }),
  });
  return {
    settings: base.settings,
    named: (name) => persistOnFleet(link, { ...options, name }),
    attach: (circuit, clock, maxOpenDurationMs, log) => reportLink(link, base.attach(circuit, clock, maxOpenDurationMs, log), log),
    [PERSISTENCE]: true,
  };
}

/**
 * The circuit link of one executor, which also tells the executor's log when the fleet link goes down and when it is
 * back: one entry each, however often node-redis retries meanwhile.
 */
function reportLink(link: RedisLink, inner: CircuitLink, log: (entry: LogEntry) => void): CircuitLink {
  let saidDown = false;
  const data = { prefix: link.settings.prefix };
  const report = ({ state, reason }: LinkChange): void => {
    if (state === 'down' && !saidDown) {
      saidDown = true;
      log({
        level: 'warn',
        event: 'fleet-link-down',
        message: `Fleet link down (${reason}): this process decides alone until Redis answers again`,
        data: { ...data, reason },
      });
    } else if (state === 'up' && saidDown) {
      saidDown = false;
      log({ level: 'info', event: 'fleet-link-up', message: 'Fleet link back: rejoined the circuit in Redis', data });
    }
  };
  let unsubscribe: (() => void) | null = null;
  return {
    get sharesTrials() {
      return inner.sharesTrials;
    },
    holdsTrial: () => inner.holdsTrial(),
    requestTrial: () => inner.requestTrial(),
    releaseIdleTrial: () => inner.releaseIdleTrial(),
    // What the inner sync heard from its channel came from another process of the fleet, not from another tab.
    get adopting() {
      const from = inner.adopting;
      return from === 'tab' ? 'process' : from;
    },
    getStats: () => inner.getStats(),
    start() {
      inner.start();
      unsubscribe = link.onChange(report);
      if (link.state === 'down') report({ state: 'down', reason: link.reason });
    },
    stop() {
      unsubscribe?.();
      unsubscribe = null;
      inner.stop();
    },
  };
}
