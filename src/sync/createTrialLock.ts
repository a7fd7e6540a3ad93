import type { Clock } from '../types.js';
import type { CircuitStorage, SyncLockManager } from './types.js';

/** The right to run the half-open trial of a shared circuit: held by at most one tab at a time. */
export interface TrialLock {
  /** Resolves `true` when this tab now holds the trial (or already did), `false` when another tab holds it. */
  tryAcquire(): Promise<boolean>;
  /** Gives the trial up; nothing happens when this tab does not hold it. */
  release(): void;
  readonly held: boolean;
}

/**
 * The trial as a Web Lock. The browser releases a lock when its tab closes or crashes, so a tab that dies mid-trial
 * cannot strand the others: the next tab with a call takes the lock.
 */
class WebTrialLock implements TrialLock {
  readonly #locks: SyncLockManager;
  readonly #name: string;
  #release: (() => void) | null = null;

  constructor(locks: SyncLockManager, name: string) {
    this.#locks = locks;
    this.#name = name;
  }

  get held(): boolean {
    return this.#release !== null;
  }

  tryAcquire(): Promise<boolean> {
    if (this.#release !== null) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const granted = (lock: unknown): unknown => {
        if (lock === null || lock === undefined) {
          resolve(false);
          return undefined;
        }
        // The lock is held for as long as this promise is pending.
        return new Promise<void>((done) => {
          this.#release = () => {
            this.#release = null;
            done();
          };
          resolve(true);
        });
      };
      let request: Promise<unknown>;
      try {
        request = this.#locks.request(this.#name, { ifAvailable: true }, granted);
      } catch {
        resolve(false);
        return;
      }
      // A refused request (a document without lock access) means no trial from this tab; the call is turned away.
      Promise.resolve(request).catch(() => resolve(false));
    });
  }

  release(): void {
    this.#release?.();
  }
}

interface Lease {
  tab: string;
  until: number;
}

function readLease(storage: CircuitStorage, key: string): Lease | null {
  let text: string | null;
  try {
    text = storage.getItem(key);
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<Lease> | null;
    if (typeof value?.tab === 'string' && typeof value.until === 'number' && Number.isFinite(value.until)) {
      return { tab: value.tab, until: value.until };
    }
  } catch {
    // A lease that cannot be read is treated as none: it is overwritten by the next tab that takes the trial.
  }
  return null;
}

/**
 * The fallback where Web Locks are missing: a lease in the shared storage, renewed a few times per `leaseMs` while the
 * trial runs. A tab that closes mid-trial stops renewing, and its lease runs out after at most `leaseMs`. Storage has
 * no compare-and-set, so two tabs taking a free lease in the same instant can both win; this is best effort.
 */
class LeaseTrialLock implements TrialLock {
  readonly #storage: CircuitStorage;
  readonly #key: string;
  readonly #tab: string;
  readonly #leaseMs: number;
  readonly #clock: Clock;
  #renewal: unknown = undefined;
  #held = false;

  constructor(storage: CircuitStorage, key: string, tab: string, leaseMs: number, clock: Clock) {
    this.#storage = storage;
    this.#key = key;
    this.#tab = tab;
    this.#leaseMs = leaseMs;
    this.#clock = clock;
  }

  get held(): boolean {
    return this.#held;
  }

  tryAcquire(): Promise<boolean> {
    if (this.#held) return Promise.resolve(true);
    const now = this.#clock.now();
    const lease = readLease(this.#storage, this.#key);
    if (lease !== null && lease.tab !== this.#tab && lease.until > now) return Promise.resolve(false);
    if (!this.#write(now)) return Promise.resolve(false);
    // Read back: of two tabs writing at once, the one whose write landed last holds the lease.
    if (readLease(this.#storage, this.#key)?.tab !== this.#tab) return Promise.resolve(false);
    this.#held = true;
    this.#renew();
    return Promise.resolve(true);
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    this.#clock.clearTimeout(this.#renewal);
    this.#renewal = undefined;
    try {
      if (readLease(this.#storage, this.#key)?.tab === this.#tab) this.#storage.removeItem(this.#key);
    } catch {
      // The lease then runs out by itself.
    }
  }

  #write(now: number): boolean {
    try {
      this.#storage.setItem(this.#key, JSON.stringify({ tab: this.#tab, until: now + this.#leaseMs }));
      return true;
    } catch {
      return false;
    }
  }

  #renew(): void {
    this.#renewal = this.#clock.setTimeout(() => {
      if (!this.#held) return;
      this.#write(this.#clock.now());
      this.#renew();
    }, Math.max(1, Math.floor(this.#leaseMs / 3)));
  }
}

export function createTrialLock(options: {
  locks: SyncLockManager | null;
  name: string;
  storage: CircuitStorage;
  leaseKey: string;
  tab: string;
  leaseMs: number;
  clock: Clock;
}): TrialLock {
  if (options.locks !== null) return new WebTrialLock(options.locks, options.name);
  return new LeaseTrialLock(options.storage, options.leaseKey, options.tab, options.leaseMs, options.clock);
}
