import type { Actor } from 'xstate';
import type { CircuitBreakerMachine } from '../../machines/circuitBreaker.machine.js';

/** What admission needs of the cross-tab glue: whether half-open trials are shared, and whether this tab holds one. */
export interface TrialLock {
  readonly sharesTrials: boolean;
  holdsTrial(): boolean;
}

/**
 * Whether a call may run, as the circuit machine decides it: the epoch it runs in, `'refused'`, or `'trial-lock'`
 * when the machine would take it as a half-open trial of a circuit shared across tabs, and this tab must first hold
 * the trial lock.
 */
export type AdmissionVerdict = number | 'refused' | 'trial-lock';

/**
 * Admission of calls. The machine decides: a state tagged `admits` lets a call run at once, in the current epoch; any
 * other is asked with `TRY_ACQUIRE`, and the call runs only if the machine emits `admitted`. Only the cross-tab trial
 * lock is decided here.
 */
export class Admission {
  readonly #circuit: Actor<CircuitBreakerMachine>;
  readonly #lock: () => TrialLock | undefined;
  /** The epoch the circuit's last `admitted` carried; cleared before each `TRY_ACQUIRE`. */
  #admitted: number | null = null;

  constructor(circuit: Actor<CircuitBreakerMachine>, lock: () => TrialLock | undefined) {
    this.#circuit = circuit;
    this.#lock = lock;
    circuit.on('admitted', (event) => {
      this.#admitted = event.epoch;
    });
  }

  /** Admission of a new call. */
  admit(): AdmissionVerdict {
    const snapshot = this.#circuit.getSnapshot();
    if (snapshot.hasTag('admits')) return snapshot.context.epoch;
    const lock = this.#lock();
    if (lock?.sharesTrials === true && !lock.holdsTrial() && snapshot.can({ type: 'TRY_ACQUIRE' })) return 'trial-lock';
    return this.#ask(undefined);
  }

  /**
   * Admission of a retry of a call admitted in `epoch`: asked of the machine as a new call's is (a half-open trial
   * keeps its slot), except that a retry does not wait for the trial lock of a shared circuit: without it, it is
   * refused, as when every trial slot is taken.
   */
  readmit(epoch: number): number | 'refused' {
    const snapshot = this.#circuit.getSnapshot();
    if (snapshot.hasTag('admits')) return snapshot.context.epoch;
    const lock = this.#lock();
    if (lock?.sharesTrials === true && !lock.holdsTrial()) return 'refused';
    return this.#ask(epoch);
  }

  /** Whether the circuit now turns every new call away: it neither admits all calls nor would grant one. */
  refusesAll(): boolean {
    const snapshot = this.#circuit.getSnapshot();
    return !snapshot.hasTag('admits') && !snapshot.can({ type: 'TRY_ACQUIRE' });
  }

  #ask(epoch: number | undefined): number | 'refused' {
    this.#admitted = null;
    this.#circuit.send(epoch === undefined ? { type: 'TRY_ACQUIRE' } : { type: 'TRY_ACQUIRE', epoch });
    return this.#admitted ?? 'refused';
  }
}
