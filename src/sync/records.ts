/** The format version of stored records and channel messages; a record of another version is ignored. */
export const SYNC_VERSION = 1;

/** Longest tab id accepted in a record or a message. */
export const MAX_TAB_ID_LENGTH = 64;
/** Largest re-open count accepted in a record (the open-duration backoff is capped long before). */
const MAX_REOPEN_COUNT = 1_000;

/** The last opening or close of a circuit, as kept in storage and announced to other tabs. */
export type CircuitRecord =
  | {
      readonly v: typeof SYNC_VERSION;
      /** Orders records: a tab adopts only a record newer than the last one it wrote or adopted. */
      readonly seq: number;
      /** The tab that wrote it. */
      readonly tab: string;
      readonly state: 'open';
      readonly openedAt: number;
      readonly openDurationMs: number;
      readonly reopenCount: number;
    }
  | {
      readonly v: typeof SYNC_VERSION;
      readonly seq: number;
      readonly tab: string;
      readonly state: 'closed';
      readonly closedAt: number;
    };

export type ParsedRecord =
  | { readonly kind: 'record'; readonly record: CircuitRecord }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'unsupported' };

const MALFORMED: ParsedRecord = { kind: 'malformed' };
const UNSUPPORTED: ParsedRecord = { kind: 'unsupported' };

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isCount = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;

/**
 * Checks a value read from storage or received from another tab. Anything that is not exactly a record of this
 * version (another shape, a wrong type, a negative or non-finite time) is reported, never trusted.
 */
export function parseCircuitRecord(value: unknown): ParsedRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return MALFORMED;
  const r = value as Record<string, unknown>;
  if (r.v !== SYNC_VERSION) return isCount(r.v, Number.MAX_SAFE_INTEGER) ? UNSUPPORTED : MALFORMED;
  if (!isCount(r.seq, Number.MAX_SAFE_INTEGER)) return MALFORMED;
  if (typeof r.tab !== 'string' || r.tab.length === 0 || r.tab.length > MAX_TAB_ID_LENGTH) return MALFORMED;
  if (r.state === 'open') {
    if (!isTime(r.openedAt) || !isTime(r.openDurationMs) || !isCount(r.reopenCount, MAX_REOPEN_COUNT)) return MALFORMED;
    return {
      kind: 'record',
      record: { v: SYNC_VERSION, seq: r.seq, tab: r.tab, state: 'open', openedAt: r.openedAt, openDurationMs: r.openDurationMs, reopenCount: r.reopenCount },
    };
  }
  if (r.state === 'closed') {
    if (!isTime(r.closedAt)) return MALFORMED;
    return { kind: 'record', record: { v: SYNC_VERSION, seq: r.seq, tab: r.tab, state: 'closed', closedAt: r.closedAt } };
  }
  return MALFORMED;
}

/** Reads a stored record: `null` when nothing is stored. */
export function parseStoredRecord(text: string | null): ParsedRecord | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return MALFORMED;
  }
  return parseCircuitRecord(value);
}

/** The storage key of a circuit's record. */
export const recordKey = (name: string): string => `xstate-circuit-breaker:circuit:${name}`;
/** The storage key of the fallback trial lease. */
export const leaseKey = (name: string): string => `xstate-circuit-breaker:trial:${name}`;
/** The channel and lock name of a circuit. */
export const channelName = (name: string): string => `xstate-circuit-breaker:${name}`;

/** A random id for this tab (this executor), unique enough to tell tabs apart. */
export function createTabId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
