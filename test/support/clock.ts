import { SimulatedClock } from 'xstate';

/** Lets every pending promise callback run (a macrotask turn; no wall-clock wait). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A SimulatedClock starting at a fixed time, with an `advance` that also flushes promise callbacks. */
export function createTestClock(start = 1_700_000_000_000): SimulatedClock & { advance(ms: number): Promise<void> } {
  const clock = new SimulatedClock() as SimulatedClock & { advance(ms: number): Promise<void> };
  clock.set(start);
  clock.advance = async (ms: number) => {
    await flush();
    clock.increment(ms);
    await flush();
  };
  return clock;
}

/** An HTTP-ish error the way fetch wrappers build them. */
export function httpError(status: number, headers: Record<string, string> = {}): Error & { status: number; headers: Headers } {
  return Object.assign(new Error(`HTTP ${status}`), { status, headers: new Headers(headers) });
}

/** Records how a promise settles, so a test can assert it is still pending. */
export function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}
