/** Plain values of the fault switches. */
export interface FaultSettings {
  /** Every REST request is answered 503 (no `Retry-After`), as if the database were down. */
  outage: boolean;
  /** Probability (0..1) that a REST request is answered 503 after its latency. */
  status503Rate: number;
  /** Delay (ms) added before each REST request is handled. */
  latencyMs: number;
}

/** Live fault switches: assigning a field validates it and takes effect on the next request. */
export interface Faults extends FaultSettings {
  /** Sets several switches at once (validated all before any is applied). */
  set(patch: Partial<FaultSettings>): void;
  /** Back to no faults. */
  clear(): void;
  toJSON(): FaultSettings;
}

const NO_FAULTS: FaultSettings = { outage: false, status503Rate: 0, latencyMs: 0 };

function checkField(key: string, value: unknown): void {
  switch (key) {
    case 'outage':
      if (typeof value !== 'boolean') throw new TypeError(`faults.outage must be a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'status503Rate':
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        throw new RangeError(`faults.status503Rate must be a number from 0 to 1, got ${JSON.stringify(value)}`);
      }
      return;
    case 'latencyMs':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`faults.latencyMs must be a finite number >= 0, got ${JSON.stringify(value)}`);
      }
      return;
    default:
      throw new TypeError(`faults has no switch ${JSON.stringify(key)} (known: outage, status503Rate, latencyMs)`);
  }
}

/**
 * Creates the fault switches of the demo backend.
 *
 * @example
 * ```ts
 * const faults = createFaults({ latencyMs: 100 });
 * faults.outage = true;          // next requests get 503
 * faults.set({ outage: false, status503Rate: 0.2 });
 * faults.status503Rate = 2;      // throws RangeError
 * ```
 */
export function createFaults(initial: Partial<FaultSettings> = {}): Faults {
  const state: FaultSettings = { ...NO_FAULTS };
  const set = (patch: Partial<FaultSettings>): void => {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new TypeError(`faults must be an object, got ${JSON.stringify(patch)}`);
    }
    for (const [key, value] of Object.entries(patch)) checkField(key, value);
    Object.assign(state, patch);
  };
  set(initial);
  return {
    get outage() {
      return state.outage;
    },
    set outage(value) {
      set({ outage: value });
    },
    get status503Rate() {
      return state.status503Rate;
    },
    set status503Rate(value) {
      set({ status503Rate: value });
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(value) {
      set({ latencyMs: value });
    },
    set,
    clear() {
      Object.assign(state, NO_FAULTS);
    },
    toJSON() {
      return { ...state };
    },
  };
}
