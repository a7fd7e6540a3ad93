import { parseStoredRecord, type CircuitRecord } from '../sync/records.js';

/** A channel listener of one executor (the shape `CircuitSync` adds to its channel). */
export type Listener = (event: { data: unknown }) => void;

/** What a record read from Redis turned out to be. */
export type Received = 'news' | 'known' | 'malformed' | 'unsupported';

/**
 * One circuit followed in Redis by the executors of this process: its record key, its pub/sub channel, the listeners
 * of each executor's channel, and the newest valid record known here, which the circuits read synchronously.
 */
export class TrackedCircuit {
  readonly key: string;
  readonly channel: string;
  readonly endpoints = new Set<Set<Listener>>();
  /** The newest valid record known here (from Redis or written here), as text: what the circuit's storage reads. */
  text: string | null = null;
  record: CircuitRecord | null = null;
  /** Whether `text` was written here and Redis may not have it yet. */
  dirty = false;
  /** Whether it is subscribed and its record read since the link last went down. */
  followed = false;

  constructor(key: string, channel: string) {
    this.key = key;
    this.channel = channel;
  }

  /** Keeps a record a circuit of this process wrote (always valid: `CircuitSync` wrote it); Redis may lack it. */
  wrote(text: string): boolean {
    const parsed = parseStoredRecord(text);
    if (parsed?.kind !== 'record') return false;
    this.text = text;
    this.record = parsed.record;
    this.dirty = true;
    return true;
  }

  /** Whether what is held here is newer than the record Redis returned (`text`), so it must be written back. */
  newerThan(text: string | null): boolean {
    if (this.record === null) return false;
    const remote = parseStoredRecord(text);
    return remote?.kind !== 'record' || newer(this.record, remote.record);
  }

  /**
   * A record read from Redis (a GET, or a pub/sub message). A valid one newer than what is known here is kept and
   * delivered to every executor; an echo of what is known is dropped (this process's own message, or a repeat).
   * Malformed and other-version ones are never kept, and are delivered (to `asking`, the executor whose start read it,
   * or to all) so each circuit counts them in its own `getSyncStats()`.
   */
  receive(text: string, asking: Set<Listener> | null): Received {
    const parsed = parseStoredRecord(text);
    let targets: Iterable<Set<Listener>> = this.endpoints;
    let received: Received;
    if (parsed?.kind === 'record') {
      if (!newer(parsed.record, this.record)) return 'known';
      this.text = text;
      this.record = parsed.record;
      this.dirty = false;
      received = 'news';
    } else {
      received = parsed?.kind === 'unsupported' ? 'unsupported' : 'malformed';
      if (asking !== null) targets = [asking];
    }
    const data = messageData(text);
    for (const listeners of targets) for (const listener of [...listeners]) listener({ data });
    return received;
  }

  /** Delivers a message of one executor to the other executors of this process, as a BroadcastChannel would. */
  fanOut(from: Set<Listener>, text: string): void {
    if (this.endpoints.size < 2) return;
    queueMicrotask(() => {
      const data = messageData(text);
      for (const listeners of this.endpoints) if (listeners !== from) for (const listener of [...listeners]) listener({ data });
    });
  }
}

/** The rule `CircuitSync` adopts by: a higher `seq`, or on a tie an opening against a close. */
function newer(a: CircuitRecord, b: CircuitRecord | null): boolean {
  return b === null || a.seq > b.seq || (a.seq === b.seq && a.state === 'open' && b.state === 'closed');
}

/** Reads a message as the channel's `data`: the parsed JSON, or the text itself (which the record check rejects). */
function messageData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
