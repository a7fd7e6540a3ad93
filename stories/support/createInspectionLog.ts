import type { AnyActor, InspectionEvent } from 'xstate';

/** One line of the inspection log: an event sent to an actor, or the snapshot it produced. */
export interface InspectionLine {
  /** Counts every event kept, from 1, so a list can key its lines. */
  readonly seq: number;
  readonly type: '@xstate.event' | '@xstate.snapshot';
  /** The machine's id (`circuitBreaker`, `retry`) and the actor's session id. */
  readonly actor: string;
  /** The event sent (`FAILURE`, `xstate.after.openDuration.circuitBreaker.open`, …), or the one that produced the snapshot. */
  readonly eventType: string;
  /** The actor's state value after a snapshot, or when it received the event. */
  readonly stateValue: string;
}

/** Keeps the last inspection events of the actors it is passed to as `inspect`, as a store React can subscribe to. */
export interface InspectionLog {
  /** Pass as `createExecutor({ inspect })`. */
  readonly inspect: (event: InspectionEvent) => void;
  /** The kept lines, newest first; the same array until a line is added. */
  getSnapshot(): readonly InspectionLine[];
  subscribe(listener: () => void): () => void;
}

function stateValueOf(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function actorName(event: InspectionEvent): string {
  // Every actor the executor creates is a full actor (its `logic` is the machine); the type only promises ActorRefLike.
  const logic = (event.actorRef as AnyActor).logic as { id?: unknown } | undefined;
  const machine = typeof logic?.id === 'string' ? logic.id : 'actor';
  return `${machine} ${event.actorRef.sessionId}`;
}

/**
 * Creates an {@link InspectionLog} that keeps the last `limit` `@xstate.event` and `@xstate.snapshot` inspection
 * events (the others, `@xstate.actor`, `@xstate.microstep`, `@xstate.action`, are left out).
 *
 * @example
 * const log = createInspectionLog({ limit: 12 })
 * const executor = createExecutor({ inspect: log.inspect })
 * const lines = useSyncExternalStore(log.subscribe, log.getSnapshot)
 */
export function createInspectionLog(options: { limit?: number } = {}): InspectionLog {
  const limit = options.limit ?? 12;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`createInspectionLog: limit must be an integer >= 1, got ${limit}.`);
  const listeners = new Set<() => void>();
  let lines: readonly InspectionLine[] = [];
  let seq = 0;

  const inspect = (event: InspectionEvent): void => {
    let line: InspectionLine;
    if (event.type === '@xstate.event') {
      const snapshot = event.actorRef.getSnapshot() as { value?: unknown } | undefined;
      line = { seq: ++seq, type: event.type, actor: actorName(event), eventType: event.event.type, stateValue: stateValueOf(snapshot?.value) };
    } else if (event.type === '@xstate.snapshot') {
      const snapshot = event.snapshot as { value?: unknown };
      line = { seq: ++seq, type: event.type, actor: actorName(event), eventType: event.event.type, stateValue: stateValueOf(snapshot.value) };
    } else {
      return;
    }
    lines = [line, ...lines].slice(0, limit);
    for (const listener of [...listeners]) listener();
  };

  return {
    inspect,
    getSnapshot: () => lines,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
