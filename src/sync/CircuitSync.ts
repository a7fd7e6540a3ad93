import type { Actor, Subscription } from 'xstate';
import type { circuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';
import type { Clock } from '../types.js';
import type { CircuitLink } from './CircuitPersistence.js';
import { createTrialLock, type TrialLock } from './createTrialLock.js';
import {
  channelName,
  createTabId,
  leaseKey,
  parseCircuitRecord,
  parseStoredRecord,
  recordKey,
  SYNC_VERSION,
  type CircuitRecord,
  type ParsedRecord,
} from './records.js';
import type { PersistSettings } from './resolvePersistOptions.js';
import type { SyncChannel, SyncStats } from './types.js';

type CircuitActor = Actor<typeof circuitBreakerMachine>;

/** Where an adopted transition came from, for the log. */
export type AdoptionSource = Exclude<CircuitLink['adopting'], 'process' | null>;

type MutableSyncStats = { -readonly [K in keyof SyncStats]: SyncStats[K] };

/**
 * Keeps one circuit in step with its stored record and, when shared, with the same circuit in other tabs.
 *
 * - Openings and closes that happen here are written to storage with a sequence number and announced on the channel.
 *   Half-opening is not announced: every tab derives it from the same opening time.
 * - A newer record (from storage at start, or from the channel) is adopted with `ADOPT_OPEN`/`ADOPT_CLOSED`; the
 *   machine re-arms its open timer with the time left.
 * - When shared, a half-open call runs only in the tab that holds the trial lock; the holder lets it go when the trial
 *   ends (after writing the outcome) or is given back, and the browser lets it go when the tab closes.
 */
export class CircuitSync {
  readonly #circuit: CircuitActor;
  readonly #options: PersistSettings;
  readonly #clock: Clock;
  readonly #maxOpenDurationMs: number;
  readonly #tab = createTabId();
  readonly #key: string;
  readonly #channel: SyncChannel | null;
  readonly #lock: TrialLock | null;
  readonly #stats: MutableSyncStats = {
    published: 0,
    adopted: 0,
    stale: 0,
    malformed: 0,
    unsupported: 0,
    storageErrors: 0,
    trialsLed: 0,
    trialsElsewhere: 0,
  };
  readonly #onMessage = (event: { data: unknown }): void => this.#receive(event.data);
  #subscription: Subscription | undefined;
  #seq = 0;
  #previous: string;
  #adopting: AdoptionSource | null = null;
  /** The half-open epoch whose trial this tab holds, and whether a trial of it has started. */
  #trialEpoch: number | null = null;
  #trialStarted = false;
  #pendingTrial: Promise<boolean> | null = null;
  #stopped = false;

  constructor(circuit: CircuitActor, options: PersistSettings, clock: Clock, maxOpenDurationMs: number) {
    this.#circuit = circuit;
    this.#options = options;
    this.#clock = clock;
    this.#maxOpenDurationMs = maxOpenDurationMs;
    this.#key = recordKey(options.name);
    this.#previous = circuit.getSnapshot().value;
    this.#channel = options.shareAcrossTabs && options.createChannel !== null ? options.createChannel(channelName(options.name)) : null;
    this.#lock = options.shareAcrossTabs
      ? createTrialLock({
          locks: options.locks,
          name: channelName(options.name),
          storage: options.storage,
          leaseKey: leaseKey(options.name),
          tab: this.#tab,
          leaseMs: options.trialLeaseMs,
          clock,
        })
      : null;
  }

  /** Restores the stored state, then follows the circuit and the channel. */
  start(): void {
    this.#subscription = this.#circuit.subscribe((snapshot) => this.#observe(snapshot));
    const stored = this.#readStored();
    if (stored !== null) this.#consider(stored, 'storage');
    this.#channel?.addEventListener('message', this.#onMessage);
  }

  /** Set while an adopted transition runs (for the log lines it produces). */
  get adopting(): AdoptionSource | null {
    return this.#adopting;
  }

  /** True when half-open calls must hold the trial lock first. */
  get sharesTrials(): boolean {
    return this.#lock !== null;
  }

  /** Whether this tab holds the trial of the current half-open period. */
  holdsTrial(): boolean {
    const snapshot = this.#circuit.getSnapshot();
    return this.#lock?.held === true && snapshot.value === 'halfOpen' && snapshot.context.epoch === this.#trialEpoch;
  }

  /**
   * Tries to take the trial of the current half-open period. Resolves `true` when this tab now runs it; `false` when
   * another tab does, or the circuit has moved on (a record newer than this tab's was waiting in storage).
   */
  requestTrial(): Promise<boolean> {
    const lock = this.#lock;
    const snapshot = this.#circuit.getSnapshot();
    if (lock === null || this.#stopped || snapshot.value !== 'halfOpen') return Promise.resolve(false);
    if (this.holdsTrial()) return Promise.resolve(true);
    if (this.#pendingTrial !== null) return this.#pendingTrial;
    const epoch = snapshot.context.epoch;
    const pending = lock.tryAcquire().then((won) => {
      this.#pendingTrial = null;
      if (!won) {
        this.#stats.trialsElsewhere++;
        return false;
      }
      const now = this.#circuit.getSnapshot();
      if (this.#stopped || now.value !== 'halfOpen' || now.context.epoch !== epoch) {
        lock.release();
        return false;
      }
      // The tab that ran the last trial wrote its outcome before letting the lock go.
      const stored = this.#readStored();
      if (stored?.kind === 'record' && stored.record.seq > this.#seq && stored.record.tab !== this.#tab) {
        lock.release();
        this.#consider(stored, 'tab');
        return false;
      }
      this.#trialEpoch = epoch;
      this.#trialStarted = false;
      this.#stats.trialsLed++;
      return true;
    });
    this.#pendingTrial = pending;
    return pending;
  }

  /** Lets the trial go when no trial call of it is running (the call that took it never started). */
  releaseIdleTrial(): void {
    if (this.#lock?.held !== true) return;
    if (this.#circuit.getSnapshot().context.trialsInFlight === 0) this.#releaseTrial();
  }

  getStats(): SyncStats {
    return { ...this.#stats };
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#subscription?.unsubscribe();
    this.#channel?.removeEventListener('message', this.#onMessage);
    this.#channel?.close();
    this.#releaseTrial();
  }

  #observe(snapshot: ReturnType<CircuitActor['getSnapshot']>): void {
    const state = snapshot.value;
    const previous = this.#previous;
    this.#previous = state;
    if (state !== previous && this.#adopting === null && !this.#stopped) {
      if (state === 'open') this.#publishOpen(snapshot.context);
      // A close that ends an opening is news; releasing an isolation (a hold of this tab only) is news only when the
      // isolation ended an opening that was stored (else a reload would restore the circuit open).
      else if (state === 'closed' && (previous === 'open' || previous === 'halfOpen' || (previous === 'isolated' && this.#storedOpen()))) {
        this.#publish({ state: 'closed', closedAt: this.#clock.now() });
      }
    }
    // While a lock request is settling (`#trialEpoch` not set yet), its continuation decides; an unrelated event seen in
    // that gap (a late result from an older call) must not drop the lock the request has just taken.
    if (this.#lock?.held === true && this.#trialEpoch !== null) {
      if (state !== 'halfOpen' || snapshot.context.epoch !== this.#trialEpoch) this.#releaseTrial();
      else if (snapshot.context.trialsInFlight > 0) this.#trialStarted = true;
      else if (this.#trialStarted) this.#releaseTrial(); // the trial was given back without a verdict
    }
  }

  #releaseTrial(): void {
    this.#trialEpoch = null;
    this.#trialStarted = false;
    this.#lock?.release();
  }

  #publishOpen(context: ReturnType<CircuitActor['getSnapshot']>['context']): void {
    this.#publish({
      state: 'open',
      openedAt: context.openedAt ?? this.#clock.now(),
      openDurationMs: context.openDurationMs,
      reopenCount: context.reopenCount,
    });
  }

  #publish(
    change:
      | { state: 'open'; openedAt: number; openDurationMs: number; reopenCount: number }
      | { state: 'closed'; closedAt: number },
  ): void {
    const stored = this.#readStored();
    if (stored?.kind === 'record' && stored.record.seq > this.#seq) this.#seq = stored.record.seq;
    this.#seq++;
    const record = { v: SYNC_VERSION, seq: this.#seq, tab: this.#tab, ...change } as CircuitRecord;
    try {
      this.#options.storage.setItem(this.#key, JSON.stringify(record));
    } catch {
      this.#stats.storageErrors++;
    }
    try {
      this.#channel?.postMessage(record);
    } catch {
      // A closed or refused channel: the other tabs still find the record in storage on their next trial or reload.
      this.#stats.storageErrors++;
    }
    this.#stats.published++;
  }

  /** Whether the stored record is an opening. */
  #storedOpen(): boolean {
    const stored = this.#readStored();
    return stored?.kind === 'record' && stored.record.state === 'open';
  }

  #readStored(): ParsedRecord | null {
    try {
      return parseStoredRecord(this.#options.storage.getItem(this.#key));
    } catch {
      this.#stats.storageErrors++;
      return null;
    }
  }

  #receive(data: unknown): void {
    if (this.#stopped) return;
    this.#consider(parseCircuitRecord(data), 'tab');
  }

  #consider(parsed: ParsedRecord, source: AdoptionSource): void {
    if (parsed.kind === 'malformed') {
      this.#stats.malformed++;
      return;
    }
    if (parsed.kind === 'unsupported') {
      this.#stats.unsupported++;
      return;
    }
    const { record } = parsed;
    const local = this.#circuit.getSnapshot().value;
    // On a tie (two tabs wrote the same number at once), an opening beats a close: the safer of the two.
    const newer = record.seq > this.#seq || (record.seq === this.#seq && record.state === 'open' && local === 'closed');
    if (!newer || (record.tab === this.#tab && source === 'tab')) {
      this.#stats.stale++;
      return;
    }
    this.#seq = record.seq;
    // A stored close, or one this circuit already agrees with, needs no event.
    if (record.state === 'closed' && local === 'closed') return;
    this.#adopting = source;
    try {
      if (record.state === 'open') {
        const at = this.#clock.now();
        this.#circuit.send({
          type: 'ADOPT_OPEN',
          at,
          // A time in the future (another clock, a forged record) is read as now.
          openedAt: Math.min(record.openedAt, at),
          openDurationMs: Math.min(record.openDurationMs, this.#maxOpenDurationMs),
          reopenCount: record.reopenCount,
        });
      } else {
        this.#circuit.send({ type: 'ADOPT_CLOSED' });
      }
    } finally {
      this.#adopting = null;
    }
    this.#stats.adopted++;
  }
}
