import type { InspectionEvent } from 'xstate';
import type { LogEntry } from '../../../../src/index.js';

/** One line of the inspection log: which actor, the event it took, the state it is in after it. */
export interface InspectionLine {
  readonly seq: number;
  readonly at: number;
  /** The actor's session id (`x:3`), unique while the page lives. */
  readonly actorId: string;
  /** The machine's id: `circuitBreaker` or `retry`. */
  readonly machine: string;
  /** `xstate.init` when the actor was created, else the event's type (`FAILURE`, `xstate.after.…`). */
  readonly eventType: string;
  /** The state value after the event, as text (`open`, `{"waiting":"backoff"}`), the actor's status, or `created`. */
  readonly state: string;
}

/** One line of the executors' own log. */
export interface LogLine extends LogEntry {
  readonly seq: number;
  readonly at: number;
}

/** What the log holds now; a new object after each change, for `useSyncExternalStore`. */
export interface EventLogSnapshot {
  /** The last `limit` inspection lines, newest first. */
  readonly inspection: readonly InspectionLine[];
  /** The last `limit` log entries, newest first. */
  readonly log: readonly LogLine[];
  /** Inspection events seen since the page loaded (or the last clear), including those no longer kept. */
  readonly inspectionTotal: number;
}

/** An offline recorder of what the executors' machines do; see {@link createEventLog}. */
export interface EventLog {
  /** Give it to the executors as their `inspect` option. */
  readonly inspect: (event: InspectionEvent) => void;
  /** Give it to the executors as their `logger` option. */
  readonly logger: (entry: LogEntry) => void;
  getSnapshot(): EventLogSnapshot;
  /** Calls `listener` after changes, at most once per `batchMs`; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void;
  clear(): void;
}

/** Options of {@link createEventLog}; every one has a default. */
export interface EventLogOptions {
  /** Lines kept in each list. Default 200. */
  readonly limit?: number;
  /** Listeners are told at most this often, so a storm of events does not re-render on each one. Default 100 ms. */
  readonly batchMs?: number;
  readonly now?: () => number;
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
}

function describeState(snapshot: unknown): string {
  const s = snapshot as { value?: unknown; status?: unknown } | undefined;
  if (s === undefined || s === null) return '';
  if (typeof s.value === 'string') return s.value;
  if (s.value !== undefined) return JSON.stringify(s.value);
  return typeof s.status === 'string' ? s.status : '';
}

function machineOf(event: InspectionEvent): string {
  const logic = (event.actorRef as { logic?: { id?: unknown } }).logic;
  return typeof logic?.id === 'string' ? logic.id : 'actor';
}

/**
 * Records the inspection events of every actor the executors create (the Stately inspector's feed, kept here so it
 * works offline) and the executors' log entries, keeping the last `limit` of each.
 *
 * @example
 * const eventLog = createEventLog({ limit: 200 })
 * const executor = createExecutor({ inspect: eventLog.inspect, logger: eventLog.logger })
 * eventLog.subscribe(() => console.log(eventLog.getSnapshot().inspection[0]))
 */
export function createEventLog(options: EventLogOptions = {}): EventLog {
  const limit = options.limit ?? 200;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`createEventLog: limit must be an integer >= 1, got ${limit}.`);
  const batchMs = options.batchMs ?? 100;
  const now = options.now ?? (() => Date.now());
  const schedule = options.setTimeout ?? ((fn: () => void, ms: number) => globalThis.setTimeout(fn, ms));

  let seq = 0;
  let inspection: InspectionLine[] = [];
  let log: LogLine[] = [];
  let inspectionTotal = 0;
  // Copies: the lists above grow in place; a snapshot never changes once handed out.
  let snapshot: EventLogSnapshot = { inspection: [], log: [], inspectionTotal };
  let dirty = false;
  let scheduled = false;
  const listeners = new Set<() => void>();

  const flush = (): void => {
    scheduled = false;
    if (!dirty) return;
    dirty = false;
    snapshot = { inspection: inspection.slice().reverse(), log: log.slice().reverse(), inspectionTotal };
    for (const listener of [...listeners]) listener();
  };
  const changed = (): void => {
    dirty = true;
    if (scheduled) return;
    scheduled = true;
    schedule(flush, batchMs);
  };
  const keep = <T>(list: T[], item: T): void => {
    list.push(item);
    if (list.length > limit) list.shift();
  };

  return {
    inspect(event) {
      if (event.type !== '@xstate.snapshot' && event.type !== '@xstate.actor') return;
      inspectionTotal++;
      const actorRef = event.actorRef as { sessionId?: string };
      keep(inspection, {
        seq: ++seq,
        at: now(),
        actorId: actorRef.sessionId ?? '?',
        machine: machineOf(event),
        eventType: event.type === '@xstate.actor' ? 'xstate.init' : event.event.type,
        // An actor is announced while it initializes itself, before it has a snapshot to read.
        state: event.type === '@xstate.snapshot' ? describeState(event.snapshot) : 'created',
      });
      changed();
    },
    logger(entry) {
      keep(log, { ...entry, seq: ++seq, at: now() });
      changed();
    },
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    clear() {
      inspection = [];
      log = [];
      inspectionTotal = 0;
      changed();
    },
  };
}
