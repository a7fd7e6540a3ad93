import type { Clock } from '../types.js';

/** A Redis command that did not answer in time. */
export class RedisTimeout extends Error {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms}ms`);
    this.name = 'RedisTimeout';
  }
}

/**
 * Settles with `pending`, or rejects with a {@link RedisTimeout} after `ms` (aborting `controller`, which drops a
 * command node-redis has not sent yet). `counted` hears of each timeout and of each other failure.
 */
export function raceCommand<T>(
  pending: Promise<T>,
  options: { clock: Clock; ms: number; controller?: AbortController; counted: (failure: 'timeout' | 'error') => void },
): Promise<T> {
  const { clock, ms, controller, counted } = options;
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = clock.setTimeout(() => {
      timedOut = true;
      counted('timeout');
      controller?.abort();
      reject(new RedisTimeout(ms));
    }, ms);
    pending.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        // The rejection of a command aborted by the timeout is the timeout's, already counted.
        if (!timedOut) counted('error');
        reject(error);
      },
    );
  });
}
