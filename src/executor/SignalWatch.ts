import type { CallScope } from './CallScope.js';

/**
 * One `abort` listener per caller signal, however many calls share it (a bulk run passes one signal to every row):
 * one listener per call would cost ~0.6 µs each and trip Node's MaxListenersExceededWarning.
 */
export class SignalWatch {
  readonly #scopes = new Map<AbortSignal, { scopes: Set<CallScope>; listener: () => void }>();

  add(scope: CallScope): void {
    const signal = scope.userSignal;
    if (signal === undefined) return;
    let entry = this.#scopes.get(signal);
    if (entry === undefined) {
      const scopes = new Set<CallScope>();
      const listener = (): void => {
        this.#scopes.delete(signal);
        for (const s of scopes) s.abort(signal.reason);
      };
      entry = { scopes, listener };
      this.#scopes.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.scopes.add(scope);
  }

  delete(scope: CallScope): void {
    const signal = scope.userSignal;
    if (signal === undefined) return;
    const entry = this.#scopes.get(signal);
    if (entry === undefined) return;
    entry.scopes.delete(scope);
    if (entry.scopes.size === 0) {
      this.#scopes.delete(signal);
      signal.removeEventListener('abort', entry.listener);
    }
  }
}
