import { createProbe, type Executor, type Probe } from '../../../../src/index.js';
import type { CircuitRegistry } from '../../../../src/ra-core/index.js';

/** Options of {@link probeEveryCircuit}. */
export interface ProbeEveryCircuitOptions {
  /** The cheap call that tells whether `resource` is back (it runs as the half-open trial of its circuit). */
  readonly probe: (resource: string, signal: AbortSignal) => Promise<unknown>;
  /** Half-open time with no call before the probe runs. */
  readonly delayMs: number;
  /** Told each failed probe (the circuit has already reopened by then). */
  readonly onError: (resource: string, error: unknown) => void;
}

/**
 * Gives every circuit of the registry, as it appears, a `createProbe`, so a circuit closes by itself once its
 * resource is back. Returns the function that stops them all.
 *
 * @example
 * const stop = probeEveryCircuit(circuits, { probe: (r, signal) => fetch(`${url}/${r}?limit=1`, { signal }), delayMs: 1000, onError })
 */
export function probeEveryCircuit(circuits: CircuitRegistry, options: ProbeEveryCircuitOptions): () => void {
  const probes = new Map<Executor, Probe>();
  const adopt = (): void => {
    for (const { resource, executor } of circuits.list()) {
      if (probes.has(executor)) continue;
      probes.set(
        executor,
        createProbe(executor, {
          probe: (signal) => options.probe(resource, signal),
          delayMs: options.delayMs,
          onError: (error) => options.onError(resource, error),
        }),
      );
    }
  };
  const unsubscribe = circuits.subscribe(adopt);
  adopt();
  return () => {
    unsubscribe();
    for (const probe of probes.values()) probe.stop();
    probes.clear();
  };
}
