import { useCallback, useRef, useState, useSyncExternalStore, type CSSProperties, type ReactNode } from 'react';
import type { SimulatedClock } from 'xstate';
import { createExecutor, type Executor, type IsolationHandle } from '../../src/index.js';
import { CircuitStatusBadge, useCircuitState } from '../../src/react/index.js';
import { createInspectionLog, type InspectionLog } from './createInspectionLog.js';
import { httpError } from './httpError.js';
import { advanceClock, createStoryClock, storyStartTime } from './simulatedTime.js';

/** A real executor on a simulated clock with an inspection log: what the playground drives. */
export interface Playground {
  readonly executor: Executor;
  readonly clock: SimulatedClock;
  readonly inspection: InspectionLog;
}

/** The playground's circuit: two failed calls open it for 30 s, so a few clicks walk every state. */
export const playgroundOptions = { failureThreshold: 2, openDurationMs: 30_000 } as const;

/** Creates the executor, clock and inspection log of a playground; call it in a story's loader. */
export function createPlayground(): Playground {
  const clock = createStoryClock();
  const inspection = createInspectionLog({ limit: 14 });
  const executor = createExecutor({ ...playgroundOptions, clock, inspect: inspection.inspect });
  return { executor, clock, inspection };
}

interface CallLine {
  readonly id: number;
  readonly what: string;
  readonly outcome: string;
}

type CallKind = 'succeed' | 'fail500' | 'rateLimited';

const calls: Readonly<Record<CallKind, { what: string; operation: (attempt: number) => Promise<string> }>> = {
  succeed: { what: 'Succeed', operation: () => Promise.resolve('200 OK') },
  fail500: { what: 'Fail (500)', operation: () => Promise.reject(httpError(500)) },
  // The server asks to wait 5 s and accepts the retry that honours it.
  rateLimited: {
    what: '429 with Retry-After: 5',
    operation: (attempt) => (attempt === 1 ? Promise.reject(httpError(429, { headers: { 'Retry-After': '5' } })) : Promise.resolve('200 OK')),
  },
};

function describeOutcome(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  const label = typeof code === 'string' ? `${String(name)} (${code})` : String(name);
  return typeof message === 'string' ? `${label}: ${message}` : label;
}

const panel: CSSProperties = { border: '1px solid #d0d4d9', borderRadius: 6, padding: '0.5em 0.75em', minWidth: 0 };
const pre: CSSProperties = { margin: 0, fontSize: '0.8em', whiteSpace: 'pre-wrap' };

/**
 * Drives a real circuit with buttons, a call at a time, and shows what the executor knows: the badge,
 * `getCircuitState()`, `getStats()`, the calls made and the last inspection events of its actors.
 */
export function MachinePlayground(props: { readonly playground: Playground }): ReactNode {
  const { executor, clock, inspection } = props.playground;
  const circuit = useCircuitState(executor);
  const events = useSyncExternalStore(inspection.subscribe, inspection.getSnapshot, inspection.getSnapshot);
  const [callLines, setCallLines] = useState<readonly CallLine[]>([]);
  const [holds, setHolds] = useState(0);
  const [advancing, setAdvancing] = useState(false);
  const [now, setNow] = useState(() => clock.now());
  const handles = useRef<IsolationHandle[]>([]);
  const nextId = useRef(1);

  const settle = useCallback((id: number, outcome: string) => {
    setCallLines((lines) => lines.map((line) => (line.id === id ? { ...line, outcome } : line)));
  }, []);

  const call = (kind: CallKind): void => {
    const { what, operation } = calls[kind];
    const id = nextId.current++;
    setCallLines((lines) => [{ id, what, outcome: 'pending…' }, ...lines].slice(0, 8));
    executor.execute(({ attempt }) => operation(attempt)).then(
      (value) => settle(id, `resolved: ${value}`),
      (error: unknown) => settle(id, `rejected: ${describeOutcome(error)}`),
    );
  };

  const advance = async (): Promise<void> => {
    setAdvancing(true);
    try {
      await advanceClock(clock, 10_000);
    } finally {
      setNow(clock.now());
      setAdvancing(false);
    }
  };

  const isolate = (): void => {
    handles.current.push(executor.isolate());
    setHolds(handles.current.length);
  };

  const release = (): void => {
    handles.current.pop()?.dispose();
    setHolds(handles.current.length);
  };

  return (
    <div style={{ fontFamily: 'system-ui, sans-serif', display: 'grid', gap: '0.75em' }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: '1em', flexWrap: 'wrap' }}>
        <CircuitStatusBadge executor={executor} label="api" />
        <span>
          Simulated time: +{Math.round((now - storyStartTime) / 1000)} s · failureThreshold {playgroundOptions.failureThreshold} ·
          openDurationMs {playgroundOptions.openDurationMs}
        </span>
      </div>
      <div role="group" aria-label="Drive the circuit" style={{ display: 'flex', gap: '0.5em', flexWrap: 'wrap' }}>
        <button type="button" onClick={() => call('succeed')}>
          Succeed
        </button>
        <button type="button" onClick={() => call('fail500')}>
          Fail (500)
        </button>
        <button type="button" onClick={() => call('rateLimited')}>
          429 with Retry-After
        </button>
        <button type="button" onClick={() => void advance()} disabled={advancing}>
          Advance 10 s
        </button>
        <button type="button" onClick={isolate}>
          Isolate
        </button>
        <button type="button" onClick={release} disabled={holds === 0}>
          Release{holds > 1 ? ` (${holds} holds)` : ''}
        </button>
        <button type="button" onClick={() => executor.resetCircuit()}>
          Reset
        </button>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(18em, 1fr))', gap: '0.75em' }}>
        <section aria-label="getCircuitState()" style={panel}>
          <h3 style={{ margin: '0 0 0.25em', fontSize: '0.9em' }}>getCircuitState()</h3>
          <pre style={pre}>{JSON.stringify(circuit, null, 2)}</pre>
        </section>
        <section aria-label="getStats()" style={panel}>
          <h3 style={{ margin: '0 0 0.25em', fontSize: '0.9em' }}>getStats()</h3>
          {/* Read on every render: each call, clock move and inspection event re-renders the playground. */}
          <pre style={pre}>{JSON.stringify(executor.getStats(), null, 2)}</pre>
        </section>
        <section aria-label="Calls" style={panel}>
          <h3 style={{ margin: '0 0 0.25em', fontSize: '0.9em' }}>Calls (newest first)</h3>
          {callLines.length === 0 ? (
            <p style={{ margin: 0, fontSize: '0.85em' }}>No call yet.</p>
          ) : (
            <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none', fontSize: '0.85em' }}>
              {callLines.map((line) => (
                <li key={line.id}>
                  #{line.id} {line.what} → {line.outcome}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Inspection events" style={{ ...panel, gridColumn: '1 / -1' }}>
          <h3 style={{ margin: '0 0 0.25em', fontSize: '0.9em' }}>Inspection events (newest first)</h3>
          <ol style={{ margin: 0, paddingLeft: 0, listStyle: 'none', fontSize: '0.8em', fontFamily: 'ui-monospace, monospace' }}>
            {events.map((line) => (
              <li key={line.seq}>
                {line.type} · {line.actor} · {line.eventType} · {line.stateValue}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
