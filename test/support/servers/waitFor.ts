/** Polls `predicate` every `stepMs` of real time until it holds; rejects after `timeoutMs`. For loopback tests only. */
export async function waitFor(predicate: () => boolean, { timeoutMs = 3000, stepMs = 10, what = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitFor: ${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

/** Settles a promise into a plain record, so a test can look at a rejection without a try/catch. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
