import { useSyncExternalStore } from 'react';
import type { EventLog, EventLogSnapshot } from './createEventLog.js';

/**
 * What the event log holds now; re-renders at most once per the log's batch interval.
 *
 * @example
 * const { inspection } = useEventLog(eventLog)
 */
export function useEventLog(eventLog: EventLog): EventLogSnapshot {
  return useSyncExternalStore(eventLog.subscribe, eventLog.getSnapshot, eventLog.getSnapshot);
}
