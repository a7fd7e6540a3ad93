import { describeValue } from '../options-shared.js';
import type { CircuitStorage, PersistOptions, SyncChannel, SyncLockManager } from './types.js';

/** The `persist` option as an executor runs it (`executor.options.persist`): every default filled in. */
export interface PersistSettings {
  /** Names the circuit in storage and between tabs. */
  readonly name: string;
  /** Where the circuit is kept: the option `storage`, or the platform's `localStorage`. */
  readonly storage: CircuitStorage;
  /** Whether openings and closes are shared with the other tabs of the origin. */
  readonly shareAcrossTabs: boolean;
  /** Opens the channel between tabs; `null` when the circuit is not shared. */
  readonly createChannel: ((name: string) => SyncChannel) | null;
  /** Chooses the tab that runs a half-open trial; `null` for the lease kept in `storage`. */
  readonly locks: SyncLockManager | null;
  /** How long the lease in `storage` outlives a tab that stopped renewing it. */
  readonly trialLeaseMs: number;
}

/** The keys of `persist` options. @internal */
export const PERSIST_OPTION_KEYS: ReadonlySet<string> = new Set(['name', 'storage', 'shareAcrossTabs', 'createChannel', 'locks', 'trialLeaseMs']);
const KNOWN = PERSIST_OPTION_KEYS;
const MAX_NAME_LENGTH = 200;

function fail(kind: 'range' | 'type', name: string, expected: string, value: unknown): never {
  const message = `xstate-circuit-breaker: option "persist.${name}" must be ${expected}, got ${describeValue(value)}.`;
  throw kind === 'range' ? new RangeError(message) : new TypeError(message);
}

function isStorage(value: unknown): value is CircuitStorage {
  const s = value as Partial<CircuitStorage> | null;
  return typeof s === 'object' && s !== null && typeof s.getItem === 'function' && typeof s.setItem === 'function' && typeof s.removeItem === 'function';
}

/** The platform's `localStorage`, or `undefined` where there is none or reading it throws (opaque origins, privacy modes). */
function platformStorage(): CircuitStorage | undefined {
  try {
    const storage = (globalThis as { localStorage?: unknown }).localStorage;
    return isStorage(storage) ? storage : undefined;
  } catch {
    return undefined;
  }
}

function platformLocks(): SyncLockManager | null {
  const locks = (globalThis as { navigator?: { locks?: Partial<SyncLockManager> } }).navigator?.locks;
  return typeof locks?.request === 'function' ? (locks as SyncLockManager) : null;
}

/** Opens a channel with the platform's `BroadcastChannel`, or `null` where there is none (also used by shared pacers). */
export function platformChannel(): ((name: string) => SyncChannel) | null {
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => SyncChannel }).BroadcastChannel;
  return typeof Channel === 'function' ? (name) => new Channel(name) : null;
}

/** Checks `createExecutor({ persist })` and fills in the platform's storage, channel and locks. */
export function resolvePersistOptions(value: unknown): PersistSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`xstate-circuit-breaker: option "persist" must be an object such as { name: 'api' } or false, got ${describeValue(value)}.`);
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN.has(key)) {
      throw new TypeError(`xstate-circuit-breaker: unknown option "persist.${key}". Known options: ${[...KNOWN].join(', ')}.`);
    }
  }
  const o = value as PersistOptions;
  if (typeof o.name !== 'string') fail('type', 'name', 'a non-empty string', o.name);
  if (o.name.length === 0 || o.name.length > MAX_NAME_LENGTH) fail('range', 'name', `a string of 1 to ${MAX_NAME_LENGTH} characters`, o.name);

  let storage: CircuitStorage;
  if (o.storage === undefined) {
    const found = platformStorage();
    if (found === undefined) {
      throw new TypeError(
        'xstate-circuit-breaker: option "persist.storage" is needed here: this platform has no localStorage. ' +
          'Pass one, for example createMemoryStorage().',
      );
    }
    storage = found;
  } else if (isStorage(o.storage)) {
    storage = o.storage;
  } else {
    fail('type', 'storage', 'an object with getItem, setItem and removeItem (such as localStorage)', o.storage);
  }

  const shareAcrossTabs = o.shareAcrossTabs ?? false;
  if (typeof shareAcrossTabs !== 'boolean') fail('type', 'shareAcrossTabs', 'a boolean', shareAcrossTabs);

  let createChannel: ((name: string) => SyncChannel) | null = null;
  if (o.createChannel !== undefined) {
    if (typeof o.createChannel !== 'function') fail('type', 'createChannel', 'a function', o.createChannel);
    createChannel = o.createChannel;
  } else if (shareAcrossTabs) {
    createChannel = platformChannel();
    if (createChannel === null) {
      throw new TypeError(
        'xstate-circuit-breaker: option "persist.createChannel" is needed here: this platform has no BroadcastChannel ' +
          'to share the circuit across tabs.',
      );
    }
  }

  let locks: SyncLockManager | null;
  if (o.locks === undefined) locks = platformLocks();
  else if (o.locks === null) locks = null;
  else if (typeof o.locks === 'object' && typeof (o.locks as Partial<SyncLockManager>).request === 'function') locks = o.locks;
  else fail('type', 'locks', 'a lock manager such as navigator.locks, or null', o.locks);

  const trialLeaseMs = o.trialLeaseMs ?? 5_000;
  if (typeof trialLeaseMs !== 'number') fail('type', 'trialLeaseMs', 'a number', trialLeaseMs);
  if (!Number.isFinite(trialLeaseMs) || trialLeaseMs < 100 || trialLeaseMs > 600_000) {
    fail('range', 'trialLeaseMs', 'a number of milliseconds from 100 to 600000', trialLeaseMs);
  }

  return { name: o.name, storage, shareAcrossTabs, createChannel, locks, trialLeaseMs };
}
