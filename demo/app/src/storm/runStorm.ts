/** The tally of a storm so far. */
export interface StormTally {
  readonly total: number;
  readonly done: number;
  readonly succeeded: number;
  /** Failed calls by error message ("Too many requests. Wait 1-2 minutes before trying again.", …). */
  readonly failures: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Starts `count` calls at once and tallies how they end; `onUpdate` hears the tally after each call ends. Resolves
 * with the final tally when every call has ended (it never rejects: each failure is counted by its message).
 *
 * @example
 * const tally = await runStorm({ count: 200, call: () => dataProvider.getList('contacts', params), onUpdate: setTally })
 */
export async function runStorm(options: {
  readonly count: number;
  readonly call: (index: number) => Promise<unknown>;
  readonly onUpdate?: (tally: StormTally) => void;
  readonly now?: () => number;
}): Promise<StormTally> {
  const { count, call, onUpdate, now = () => performance.now() } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`runStorm: count must be an integer >= 1, got ${count}.`);
  const startedAt = now();
  let done = 0;
  let succeeded = 0;
  const failures: Record<string, number> = {};
  const tally = (): StormTally => ({ total: count, done, succeeded, failures: { ...failures }, elapsedMs: now() - startedAt });
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      Promise.resolve()
        .then(() => call(index))
        .then(
          () => {
            succeeded++;
          },
          (error: unknown) => {
            const message = messageOf(error);
            failures[message] = (failures[message] ?? 0) + 1;
          },
        )
        .finally(() => {
          done++;
          onUpdate?.(tally());
        }),
    ),
  );
  return tally();
}
