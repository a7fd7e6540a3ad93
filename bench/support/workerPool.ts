/**
 * Runs `task` over `items` with at most `concurrency` in flight: `concurrency` workers each take the next item when
 * their last one settles. Stops taking items once `signal` aborts; resolves when every worker has stopped.
 * `task` must not reject (report its outcome instead): a rejection stops that worker and rejects the pool.
 */
export async function workerPool<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal,
  task: (item: T) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`workerPool: concurrency must be an integer >= 1, got ${concurrency}.`);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
