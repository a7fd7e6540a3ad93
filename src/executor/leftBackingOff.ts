import type { Actor } from 'xstate';
import type { RetryMachine } from '../../machines/retry.machine.js';

/** Resolves when the retry actor leaves `backingOff` (its `retryDelay` timer fired, or it was aborted or stopped). */
export function leftBackingOff(retry: Actor<RetryMachine>): Promise<void> {
  return new Promise((resolve) => {
    const subscription = retry.subscribe({
      next: (snapshot) => {
        if (snapshot.value !== 'backingOff') {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: () => resolve(),
      complete: () => resolve(),
    });
    if (retry.getSnapshot().value !== 'backingOff') {
      subscription.unsubscribe();
      resolve();
    }
  });
}
