import type { ManualClock } from './createManualClock.js';

/** Counts the requests a fetch has sent and not yet had an answer to. */
export interface FetchTracker {
  /** A fetch that counts, and records the clock time at which each request left. */
  readonly fetch: typeof fetch;
  inFlight(): number;
  /** Clock times at which requests were sent, in order. */
  readonly sentAt: number[];
}

/** Wraps `globalThis.fetch` (looked up per call) so a test knows when the network is quiet. */
export function trackFetch(clock: ManualClock): FetchTracker {
  let inFlight = 0;
  const sentAt: number[] = [];
  const tracked: typeof fetch = async (input, init) => {
    inFlight++;
    sentAt.push(clock.now());
    try {
      return await globalThis.fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  return { fetch: tracked, inFlight: () => inFlight, sentAt };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `promise` to its end while the manual clock stands in for time: real I/O (HTTP to the test server) is given
 * event-loop turns, and when no request is in flight and the code waits on a timer, the clock jumps to that timer.
 * No wall-clock sleeping: a Retry-After of 1 s passes in microseconds. Throws if nothing can move for 10 s of real time.
 */
export async function drive<T>(clock: ManualClock, tracker: Pick<FetchTracker, 'inFlight'>, work: PromiseLike<T>): Promise<T> {
  // A supabase-js query is a thenable that sends its request on each `then`: subscribe once.
  const promise = Promise.resolve(work);
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  let lastProgress = Date.now();
  while (!settled) {
    await turn();
    if (settled) break;
    if (tracker.inFlight() > 0) {
      lastProgress = Date.now();
      continue;
    }
    // Give pending response bodies and promise chains a few turns before deciding that the code waits on the clock.
    let quiet = true;
    for (let i = 0; i < 5 && !settled; i++) {
      await turn();
      if (tracker.inFlight() > 0) quiet = false;
    }
    if (settled || !quiet) continue;
    if (clock.advanceToNext()) {
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > 10_000) {
      throw new Error('drive(): the promise neither settles nor waits on the clock or the network');
    }
  }
  return promise;
}
