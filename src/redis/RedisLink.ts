import { recordKey } from '../sync/records.js';
import type { Clock } from '../types.js';
import { STORE_IF_NOT_OLDER } from './luaScripts.js';
import { raceCommand } from './raceCommand.js';
import { TrackedCircuit, type Listener, type Received } from './TrackedCircuit.js';
import type { FleetCommands, FleetLinkState, FleetRedisClient, FleetStats, FleetSubscriber } from './types.js';

/** The checked options of `linkToRedis`. */
export interface LinkSettings {
  readonly prefix: string;
  readonly commandTimeoutMs: number;
  readonly rejoinIntervalMs: number;
  readonly clock: Clock;
}

type MutableStats = { -readonly [K in keyof FleetStats]: FleetStats[K] };

/** A change of the link's state, with why (for the log entry). */
export type LinkChange = { readonly state: FleetLinkState; readonly reason: string };

/**
 * The connection of one process to the fleet's circuits in Redis. It keeps a local copy of each followed circuit's
 * record (the synchronous storage the circuit reads), writes records and messages to Redis in the background, and
 * runs every command against a timeout: when Redis is unreachable or slow the link goes `down`, the executors decide
 * alone, and the link rejoins (re-reads the records, writes what it holds that Redis lacks) when Redis answers again.
 */
export class RedisLink {
  readonly settings: LinkSettings;
  readonly #client: FleetRedisClient;
  readonly #subscriber: FleetSubscriber;
  readonly #circuits = new Map<string, TrackedCircuit>();
  readonly #byChannel = new Map<string, TrackedCircuit>();
  readonly #listeners = new Set<(change: LinkChange) => void>();
  readonly #stats: MutableStats = {
    state: 'connecting',
    downs: 0,
    joins: 0,
    commandTimeouts: 0,
    commandErrors: 0,
    malformed: 0,
    unsupported: 0,
    pendingWrites: 0,
  };
  readonly #onMessage = (message: string, channel: string): void => this.#receive(message, channel);
  readonly #onReady = (): void => void this.#rejoin();
  readonly #onLost = (): void => this.#trouble('the connection to Redis was lost');
  readonly #onSubscriberError = (error: unknown): void => this.#trouble(`the subscriber connection failed: ${describe(error)}`);
  #rejoining = false;
  #reason = 'connecting';
  /** Counts failures, so a rejoin knows whether one happened while it ran. */
  #troubles = 0;
  #retryTimer: unknown = undefined;

  constructor(client: FleetRedisClient, settings: LinkSettings) {
    this.#client = client;
    this.settings = settings;
    this.#subscriber = client.duplicate();
    // Without an 'error' listener node-redis would throw the subscriber's connection errors at the process.
    this.#subscriber.on('error', this.#onSubscriberError);
    this.#subscriber.on('ready', this.#onReady);
    this.#subscriber.on('reconnecting', this.#onLost);
    this.#client.on('ready', this.#onReady);
    this.#client.on('reconnecting', this.#onLost);
    this.#client.on('end', this.#onLost);
    if (!client.isReady) this.#trouble('the Redis client is not connected');
    this.#subscriber.connect().catch((error: unknown) => this.#trouble(`the subscriber could not connect: ${describe(error)}`));
    // A Redis that accepts the connection but does not answer raises no error: still not linked after a few command
    // timeouts is down (said once in the log), and the link goes on trying.
    if (this.#stats.state === 'connecting') {
      this.#retryTimer = this.#unref(
        settings.clock.setTimeout(() => {
          if (this.#stats.state === 'connecting') this.#trouble('Redis did not answer in time');
        }, 4 * settings.commandTimeoutMs),
      );
    }
  }

  get state(): FleetLinkState {
    return this.#stats.state;
  }

  getStats(): FleetStats {
    let pending = 0;
    for (const circuit of this.#circuits.values()) if (circuit.dirty) pending++;
    return { ...this.#stats, pendingWrites: pending };
  }

  /** Calls `listener` on each change of state; returns the function that unsubscribes. */
  onChange(listener: (change: LinkChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Why the link last changed state (for a log entry written later). */
  get reason(): string {
    return this.#reason;
  }

  /** The circuit `name` if an executor of this process follows it. */
  find(name: string): TrackedCircuit | null {
    return this.#circuits.get(this.key(recordKey(name))) ?? null;
  }

  /** The Redis key of a storage key. */
  key(storageKey: string): string {
    return `${this.settings.prefix}${storageKey}`;
  }

  /** The record text known here for a storage key (the circuit's synchronous read). */
  read(storageKey: string): string | null {
    return this.#circuits.get(this.key(storageKey))?.text ?? null;
  }

  /** Keeps a record written by a circuit here, then stores it in Redis unless Redis has a newer one. */
  write(storageKey: string, text: string): void {
    const circuit = this.#circuits.get(this.key(storageKey));
    if (circuit?.wrote(text) === true && this.#stats.state === 'up') void this.#store(circuit);
  }

  /**
   * Sends a circuit's message to the other executors of this process at once (as a BroadcastChannel would, not back to
   * `from`) and to the other processes through Redis; while the link is down only locally (the rejoin writes the record).
   */
  publish(circuit: TrackedCircuit, from: Set<Listener>, message: unknown): void {
    const text = JSON.stringify(message);
    circuit.fanOut(from, text);
    if (this.#stats.state !== 'up') return;
    this.command((c) => c.publish(circuit.channel, text)).catch(() => undefined); // reported by command()
  }

  /**
   * Starts following the circuit `name` for one executor: messages for it reach `listeners`. Reads its record from
   * Redis (delivered to the listeners when newer than what is known here). Returns the circuit, for `untrack`.
   */
  track(name: string, listeners: Set<Listener>): TrackedCircuit {
    const key = this.key(recordKey(name));
    let circuit = this.#circuits.get(key);
    if (circuit === undefined) {
      circuit = new TrackedCircuit(key, this.key(`xstate-circuit-breaker:${name}`));
      this.#circuits.set(key, circuit);
      this.#byChannel.set(circuit.channel, circuit);
    }
    circuit.endpoints.add(listeners);
    const tracked = circuit;
    if (this.#stats.state === 'up' && !tracked.followed) {
      this.#follow(tracked, listeners).catch((error: unknown) => this.#trouble(describe(error)));
    }
    return tracked;
  }

  /** Stops delivering to `listeners`; the last executor of a circuit unsubscribes from its channel. */
  untrack(circuit: TrackedCircuit, listeners: Set<Listener>): void {
    circuit.endpoints.delete(listeners);
    if (circuit.endpoints.size > 0) return;
    this.#circuits.delete(circuit.key);
    this.#byChannel.delete(circuit.channel);
    if (this.#stats.state === 'up') {
      this.#race(this.#subscriber.unsubscribe(circuit.channel, this.#onMessage)).catch((error: unknown) => this.#trouble(describe(error)));
    }
  }

  /** The newest record of a circuit from Redis, adopted when newer (used by the trial lease once it is taken). */
  async refresh(circuit: TrackedCircuit): Promise<void> {
    const text = asText(await this.command((c) => c.get(circuit.key)));
    if (text !== null) this.#count(circuit.receive(text, null));
  }

  /**
   * Runs one command on the client, raced against `commandTimeoutMs`. A client that is not ready refuses at once (no
   * command waits in node-redis's offline queue); a command that times out is aborted (dropped from the queue if it
   * was not sent yet) and the link counts as down.
   */
  command<T>(run: (client: FleetCommands) => Promise<T>): Promise<T> {
    if (this.#stats.state === 'closed') return Promise.reject(new Error('the fleet link is closed'));
    if (!this.#client.isReady) {
      this.#trouble('the Redis client is not ready');
      return Promise.reject(new Error('the Redis client is not ready'));
    }
    const controller = new AbortController();
    const pending = this.#race(run(this.#client.withAbortSignal(controller.signal)), controller);
    // Every failure is reported here (the link goes down and rejoins); callers only decide what to do instead.
    pending.catch((error: unknown) => this.#trouble(describe(error)));
    return pending;
  }

  async close(): Promise<void> {
    if (this.#stats.state === 'closed') return;
    this.#setState('closed', 'closed by close()');
    this.settings.clock.clearTimeout(this.#retryTimer);
    this.#client.off('ready', this.#onReady);
    this.#client.off('reconnecting', this.#onLost);
    this.#client.off('end', this.#onLost);
    this.#subscriber.off('ready', this.#onReady);
    this.#subscriber.off('reconnecting', this.#onLost);
    try {
      // Said goodbye to while Redis answers; bounded, so a Redis that is down or slow cannot hold a shutdown.
      if (this.#subscriber.isReady) await this.#race(this.#subscriber.close());
    } catch {
      // A subscriber that cannot say goodbye in time is destroyed below: nothing of it is left to close.
    }
    if (this.#subscriber.isOpen) this.#subscriber.destroy();
  }

  #race<T>(pending: Promise<T>, controller?: AbortController): Promise<T> {
    const { clock, commandTimeoutMs } = this.settings;
    return raceCommand(pending, {
      clock,
      ms: commandTimeoutMs,
      ...(controller === undefined ? {} : { controller }),
      counted: (failure) => void (failure === 'timeout' ? this.#stats.commandTimeouts++ : this.#stats.commandErrors++),
    });
  }

  /**
   * Subscribes to a circuit's channel, then reads its record (in that order, so no opening falls in between): a newer
   * one is adopted; an older or missing one is replaced by what this process holds (written while the link was down,
   * or lost with a restarted Redis), so the fleet gets back in step.
   */
  async #follow(circuit: TrackedCircuit, asking: Set<Listener> | null): Promise<void> {
    await this.#race(this.#subscriber.subscribe(circuit.channel, this.#onMessage));
    const text = asText(await this.command((c) => c.get(circuit.key)));
    if (text !== null) this.#count(circuit.receive(text, asking));
    if (circuit.newerThan(text)) {
      circuit.dirty = true;
      await this.#store(circuit, true);
    }
    circuit.followed = true;
  }

  /** Stores the record held here unless Redis has a newer one; with `announce`, tells the other processes too. */
  async #store(circuit: TrackedCircuit, announce = false): Promise<void> {
    const text = circuit.text;
    if (text === null) return;
    try {
      const stored = await this.command((c) => c.eval(STORE_IF_NOT_OLDER, { keys: [circuit.key], arguments: [text] }));
      // Refused: Redis has a newer record, whose message comes (or came) by pub/sub. Either way this one is settled.
      if (circuit.text === text) circuit.dirty = false;
      if (announce && stored === 1) await this.command((c) => c.publish(circuit.channel, text));
    } catch (error) {
      this.#trouble(describe(error));
    }
  }

  #receive(message: string, channel: string): void {
    const circuit = this.#byChannel.get(channel);
    if (circuit !== undefined) this.#count(circuit.receive(message, null));
  }

  #count(received: Received): void {
    if (received === 'malformed') this.#stats.malformed++;
    else if (received === 'unsupported') this.#stats.unsupported++;
  }

  /** Gets back in step: subscribes every followed channel, reads every record, and writes those Redis lacks. */
  async #rejoin(): Promise<void> {
    const state = this.#stats.state;
    if (this.#rejoining || state === 'up' || state === 'closed') return;
    if (!this.#client.isReady || !this.#subscriber.isReady) return;
    this.#rejoining = true;
    const troubles = this.#troubles;
    try {
      // Circuits tracked while this runs are followed too, before the link says it is up.
      for (let next = this.#unfollowed(); next !== undefined && this.#troubles === troubles; next = this.#unfollowed()) {
        await this.#follow(next, null);
      }
      // A write that failed meanwhile has put the link down again (and scheduled the next attempt).
      if (this.#troubles === troubles && this.#stats.state !== 'closed') {
        this.#stats.joins++;
        this.#setState('up', 'in step with Redis');
      }
    } catch (error) {
      this.#trouble(describe(error));
    } finally {
      this.#rejoining = false;
    }
  }

  #unfollowed(): TrackedCircuit | undefined {
    for (const circuit of this.#circuits.values()) if (!circuit.followed) return circuit;
    return undefined;
  }

  /** Something failed: the link is down until a rejoin succeeds. */
  #trouble(reason: string): void {
    const state = this.#stats.state;
    if (state === 'closed') return;
    this.#troubles++;
    for (const circuit of this.#circuits.values()) circuit.followed = false;
    if (state !== 'down') {
      this.#stats.downs++;
      this.#setState('down', reason);
    }
    this.#scheduleRejoin();
  }

  #scheduleRejoin(): void {
    const { clock, rejoinIntervalMs } = this.settings;
    clock.clearTimeout(this.#retryTimer);
    const timer = clock.setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#stats.state !== 'down') return;
      void this.#rejoin().then(() => {
        if (this.#stats.state === 'down' && !this.#rejoining) this.#scheduleRejoin();
      });
    }, rejoinIntervalMs);
    this.#retryTimer = this.#unref(timer);
  }

  /** A link waiting to rejoin must not keep a process alive that has nothing else to do. */
  #unref(timer: unknown): unknown {
    (timer as { unref?: () => void } | null)?.unref?.();
    return timer;
  }

  #setState(state: FleetLinkState, reason: string): void {
    if (state === 'up') this.settings.clock.clearTimeout(this.#retryTimer);
    this.#stats.state = state;
    this.#reason = reason;
    for (const listener of [...this.#listeners]) listener({ state, reason });
  }
}

/** A GET reply as text: a string, or `null` for a missing key (or a reply of another type, never a record). */
function asText(reply: unknown): string | null {
  if (typeof reply === 'string') return reply;
  return reply instanceof Uint8Array ? new TextDecoder().decode(reply) : null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
