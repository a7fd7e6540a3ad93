import { useEffect, useState, type ReactNode } from 'react';
import { createExecutor, type Executor } from '../../src/index.js';
import { CircuitStatusBadge } from '../../src/react/index.js';
import { httpError } from './httpError.js';
import { createMemoryStorage, persistCircuit } from '../../src/sync/index.js';

let mounts = 0;

/**
 * Two "tabs" in one page: two executors sharing one circuit the way tabs of an origin do, over a real
 * BroadcastChannel, with a memory storage standing for their localStorage and the storage lease choosing the trial.
 * Each shows its badge and can send a call; what happens in one shows in the other.
 */
export function TwoTabs({ openDurationMs }: { readonly openDurationMs: number }): ReactNode {
  const [tabs, setTabs] = useState<readonly [Executor, Executor] | null>(null);
  const [results, setResults] = useState<readonly [string, string]>(['', '']);

  useEffect(() => {
    // A name of its own per mount, so two renders of the story do not share a circuit.
    const name = `story-two-tabs-${++mounts}-${Math.random().toString(36).slice(2)}`;
    const storage = createMemoryStorage();
    const make = (): Executor =>
      createExecutor({ failureThreshold: 2, openDurationMs, maxRetries: 0, persist: persistCircuit({ name, storage, shareAcrossTabs: true, locks: null }) });
    const pair = [make(), make()] as const;
    setTabs(pair);
    return () => {
      for (const executor of pair) executor.stop();
    };
  }, [openDurationMs]);

  if (tabs === null) return <p>Opening two tabs…</p>;

  const send = (index: 0 | 1, fail: boolean): void => {
    tabs[index]
      .execute(() => (fail ? Promise.reject(httpError(503)) : Promise.resolve('200 OK')))
      .then(
        (value) => String(value),
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      )
      .then((text) => setResults((previous) => (index === 0 ? [text, previous[1]] : [previous[0], text])));
  };

  return (
    <div style={{ display: 'flex', gap: 24, fontFamily: 'system-ui, sans-serif' }}>
      {tabs.map((executor, index) => (
        <section key={index} data-testid={`tab-${index + 1}`} style={{ border: '1px solid #ccc', borderRadius: 6, padding: 12, minWidth: 260 }}>
          <h3 style={{ marginTop: 0 }}>Tab {index + 1}</h3>
          <CircuitStatusBadge executor={executor} label="contacts" />
          <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
            <button type="button" onClick={() => send(index as 0 | 1, true)}>
              Fail a call
            </button>
            <button type="button" onClick={() => send(index as 0 | 1, false)}>
              Send a good call
            </button>
          </div>
          <p data-testid={`result-${index + 1}`} style={{ minHeight: '1.5em' }}>
            {results[index]}
          </p>
        </section>
      ))}
    </div>
  );
}
