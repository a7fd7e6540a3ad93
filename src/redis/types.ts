import type { RedisPacer, RedisPacerOptions } from './redisPacerTypes.js';
import type { CircuitPersistence } from '../sync/CircuitPersistence.js';
import type { Clock } from '../types.js';

/**
 * The node-redis client {@link linkToRedis} takes: what `createClient()` from `redis` returns (RESP2 or RESP3, with or
 * without modules), once `connect()` has been called. Only these members are used; the link opens one more connection
 * with `duplicate()` for its subscriptions. Written out rather than picked from `RedisClientType`, whose generic
 * parameters (the RESP version among them) would refuse some of the clients `createClient()` returns.
 */
export interface FleetRedisClient {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  duplicate(): FleetSubscriber;
  withAbortSignal(signal: AbortSignal): FleetCommands;
  on(event: 'ready' | 'reconnecting' | 'end', listener: () => void): unknown;
  off(event: 'ready' | 'reconnecting' | 'end', listener: () => void): unknown;
}

/** The commands the link sends (through `client.withAbortSignal(signal)`, so a command that times out is dropped). */
export interface FleetCommands {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
}

/** The connection the link subscribes on: `client.duplicate()`. */
export interface FleetSubscriber {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  on(event: 'ready' | 'reconnecting' | 'end' | 'error', listener: (error?: unknown) => void): unknown;
  off(event: 'ready' | 'reconnecting' | 'end' | 'error', listener: (error?: unknown) => void): unknown;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** The second argument of {@link linkToRedis}. */
export interface LinkToRedisOptions {
  /** Put before every key and channel the fleet uses in Redis (`'myapp:'`). Default `''`. */
  prefix?: string;
  /**
   * How long one Redis command may take before the link counts as down and the process decides alone. A half-open call
   * waits for at most two commands (taking the trial lease, then reading the record its last holder wrote), so at most
   * twice this. Default 250 ms.
   */
  commandTimeoutMs?: number;
  /** How often a link that is down tries to rejoin (besides when the client says it is ready again). Default 1 000 ms. */
  rejoinIntervalMs?: number;
  /** Drives the command timeouts, lease renewals and rejoin attempts. Default: the system clock. */
  clock?: Clock;
}

/** The second argument of `fleet.persist()`. */
export interface FleetPersistOptions {
  /** Names the circuit in Redis: executors with the same name, in any process of the fleet, share one circuit. */
  name: string;
  /**
   * How long the trial lease outlives a process that stopped renewing it (killed mid-trial): the fleet waits at most
   * this long for another trial. Default 5 000 ms.
   */
  trialLeaseMs?: number;
}

/**
 * The link's state. `connecting`: not yet in step with Redis (each process decides alone meanwhile). `up`: subscribed
 * and the records read. `down`: Redis is unreachable or too slow; the link rejoins by itself. `closed`: `close()`.
 */
export type FleetLinkState = 'connecting' | 'up' | 'down' | 'closed';

/** What the link has done, for dashboards and tests. */
export interface FleetStats {
  readonly state: FleetLinkState;
  /** Times the link went down. */
  readonly downs: number;
  /** Times the link came (back) up: the first link, then each rejoin. */
  readonly joins: number;
  /** Commands that did not answer within `commandTimeoutMs` (dropped from node-redis's queue if not sent yet). */
  readonly commandTimeouts: number;
  /** Commands Redis or the client refused. */
  readonly commandErrors: number;
  /** Records read from Redis (at a join, or by pub/sub) that were not a valid record, ignored. */
  readonly malformed: number;
  /** Records of another format version, ignored. */
  readonly unsupported: number;
  /** Records written while the link was down, to be written when it rejoins. */
  readonly pendingWrites: number;
}

/** `fleet.pacer()`: `createRedisPacer`'s options without the ones the link already has (`prefix`, `clock`). */
export type FleetPacerOptions = Omit<RedisPacerOptions, 'prefix' | 'clock'>;

/** One circuit link to Redis shared by the executors of a process: from {@link linkToRedis}. */
export interface RedisFleet {
  /**
   * The `persist` option of `createExecutor` for the circuit `name`, shared with every process linked to the same
   * Redis and prefix: its record is kept in Redis, openings and closes go over pub/sub, and one process of the fleet
   * runs each half-open trial (a lease in Redis).
   *
   * @throws {TypeError | RangeError} An option is missing, of the wrong type or out of range, or unknown (naming it,
   *   `persist.name`).
   */
  persist(options: FleetPersistOptions): CircuitPersistence;
  /**
   * A pacer for `createExecutor({ pacer })` whose token bucket is shared, through Redis, by every process linked to the
   * same Redis and prefix that names the same limit (`name`): one atomic script per slot, so the fleet together stays
   * under the server's limit. It paces alone while Redis is down or slow. See `createRedisPacer` for the options.
   *
   * @throws {TypeError | RangeError} An option is missing, of the wrong type or out of range, or unknown (naming it);
   *   `prefix` and `clock` are the link's and cannot be given here.
   */
  pacer(options: FleetPacerOptions): RedisPacer;
  /** The link's state now. */
  readonly state: FleetLinkState;
  getStats(): FleetStats;
  /**
   * Calls `listener` on each change of the link's state; returns the function that unsubscribes.
   *
   * @throws {TypeError} `listener` is not a function.
   */
  subscribe(listener: (state: FleetLinkState) => void): () => void;
  /**
   * Closes the subscriber connection and clears the link's timers (the client you passed stays yours to close).
   * Executors attached keep running on their own circuits.
   */
  close(): Promise<void>;
}
