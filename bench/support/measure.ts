/**
 * A small timing harness: rounds of a fixed number of calls per contender, contenders interleaved round-robin so that
 * drift (CPU frequency, GC, JIT tiers) falls on all of them alike, and medians so that one noisy round does not count.
 */

/** Runs `calls` calls of one contender and resolves when the last has settled. */
export type Loop = (calls: number) => Promise<void>;

export interface Contender {
  readonly name: string;
  readonly loop: Loop;
  /** Calls per round for this contender, when it is too slow for the common count (results are per call anyway). */
  readonly calls?: number;
}

export interface Measurement {
  readonly name: string;
  /** Median over rounds of ns per call. */
  readonly nsPerCall: number;
  /** Median over rounds of (this contender − the baseline in the same round), ns per call; 0 for the baseline. */
  readonly overheadNs: number;
  /** Every round's ns per call, in the order measured. */
  readonly rounds: readonly number[];
}

export interface MeasureOptions {
  /** Calls per contender per round. */
  readonly calls: number;
  readonly rounds: number;
  /** Calls per contender before measuring, so every path reaches its optimised tier. */
  readonly warmupCalls: number;
  /** The contender whose cost is subtracted (the bare call); must be one of `contenders`. */
  readonly baseline: string;
  /** Called between timed loops (for example `globalThis.gc`), so one contender's garbage is not collected on another's clock. */
  readonly settle?: () => void;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median() needs at least one value.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Measures every contender `rounds` times, round-robin, and reports medians. The overhead is the median of the paired
 * per-round differences against the baseline, which cancels slow drift better than a difference of medians.
 */
export async function measure(contenders: readonly Contender[], options: MeasureOptions): Promise<Measurement[]> {
  const { calls, rounds, warmupCalls, baseline, settle } = options;
  if (!contenders.some((c) => c.name === baseline)) throw new RangeError(`measure(): baseline "${baseline}" is not a contender.`);
  for (const contender of contenders) await contender.loop(Math.min(warmupCalls, contender.calls ?? warmupCalls));

  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the starting contender so none always runs right after a GC or right after the bare loop.
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length]!;
      const n = contender.calls ?? calls;
      settle?.();
      const start = process.hrtime.bigint();
      await contender.loop(n);
      const elapsed = Number(process.hrtime.bigint() - start);
      samples.get(contender.name)!.push(elapsed / n);
    }
  }

  const base = samples.get(baseline)!;
  return contenders.map((contender) => {
    const own = samples.get(contender.name)!;
    return {
      name: contender.name,
      nsPerCall: median(own),
      overheadNs: contender.name === baseline ? 0 : median(own.map((ns, i) => ns - base[i]!)),
      rounds: own,
    };
  });
}
