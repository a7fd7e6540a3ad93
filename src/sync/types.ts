/** The part of `localStorage` the circuit needs; any synchronous key-value store fits (see `createMemoryStorage`). */
export interface CircuitStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of `BroadcastChannel` the circuit needs. */
export interface SyncChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** The part of the Web Locks API (`navigator.locks`) the circuit needs. */
export interface SyncLockManager {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** `createExecutor({ persist })`: keep the circuit across reloads and, optionally, share it between tabs. */
export interface PersistOptions {
  /** Names the circuit in storage and between tabs: executors with the same name share one circuit. */
  name: string;
  /** Where the circuit is kept across reloads. Default: `localStorage` where the platform has one. */
  storage?: CircuitStorage;
  /**
   * Share openings and closes with the other tabs of this origin, and let only one tab run a half-open trial.
   * Default `false` (the state is still restored after a reload).
   */
  shareAcrossTabs?: boolean;
  /** Opens the channel the tabs talk over. Default: `new BroadcastChannel(name)`. */
  createChannel?: (name: string) => SyncChannel;
  /**
   * Chooses the one tab that runs a half-open trial. Default: `navigator.locks` where the platform has it; `null`
   * (or a platform without it) falls back to a lease kept in `storage` and renewed while the trial runs.
   */
  locks?: SyncLockManager | null;
  /** How long the fallback lease outlives a tab that stopped renewing it (closed mid-trial). Default 5 000 ms. */
  trialLeaseMs?: number;
}

/** What the persistence and the sharing have done, for dashboards and tests. */
export interface SyncStats {
  /** Openings and closes this tab wrote to storage (and announced, when shared). */
  readonly published: number;
  /** Openings and closes taken over from storage or from another tab. */
  readonly adopted: number;
  /** Records older than what this tab already knew, ignored. */
  readonly stale: number;
  /** Stored values and messages that were not a valid record, ignored. */
  readonly malformed: number;
  /** Records of another format version (a newer release in another tab), ignored. */
  readonly unsupported: number;
  /** Reads and writes the storage refused (quota, privacy mode); the circuit keeps working in memory. */
  readonly storageErrors: number;
  /** Half-open trials this tab won the right to run. */
  readonly trialsLed: number;
  /** Half-open calls this tab turned away because another tab was running the trial. */
  readonly trialsElsewhere: number;
}
