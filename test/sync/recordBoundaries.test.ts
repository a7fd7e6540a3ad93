import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelName, createTabId, leaseKey, parseCircuitRecord, parseStoredRecord, recordKey, SYNC_VERSION } from '../../src/sync/records.js';

// Boundaries and exact results of the record parser and the key / tab-id helpers (see reasons-c.md).

const open = { v: 1, seq: 3, tab: 'tab-a', state: 'open', openedAt: 1_000, openDurationMs: 60_000, reopenCount: 2 };
const closed = { v: 1, seq: 4, tab: 'tab-a', state: 'closed', closedAt: 2_000 };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('parseCircuitRecord boundaries', () => {
  it('SYNC_VERSION is 1', () => {
    expect(SYNC_VERSION).toBe(1);
  });

  it('accepts times of exactly 0', () => {
    const zeroOpen = { ...open, openedAt: 0, openDurationMs: 0 };
    expect(parseCircuitRecord(zeroOpen)).toEqual({ kind: 'record', record: zeroOpen });
    const zeroClosed = { ...closed, closedAt: 0 };
    expect(parseCircuitRecord(zeroClosed)).toEqual({ kind: 'record', record: zeroClosed });
  });

  it('accepts reopenCount 1000 and 0, rejects 1001', () => {
    expect(parseCircuitRecord({ ...open, reopenCount: 1_000 })).toEqual({ kind: 'record', record: { ...open, reopenCount: 1_000 } });
    expect(parseCircuitRecord({ ...open, reopenCount: 0 })).toEqual({ kind: 'record', record: { ...open, reopenCount: 0 } });
    expect(parseCircuitRecord({ ...open, reopenCount: 1_001 })).toEqual({ kind: 'malformed' });
  });

  it('accepts seq 0 and Number.MAX_SAFE_INTEGER', () => {
    expect(parseCircuitRecord({ ...closed, seq: Number.MAX_SAFE_INTEGER })).toEqual({
      kind: 'record',
      record: { ...closed, seq: Number.MAX_SAFE_INTEGER },
    });
    expect(parseCircuitRecord({ ...closed, seq: 0 })).toEqual({ kind: 'record', record: { ...closed, seq: 0 } });
  });

  it('a version of Number.MAX_SAFE_INTEGER is unsupported; non-integer versions are malformed', () => {
    expect(parseCircuitRecord({ ...open, v: Number.MAX_SAFE_INTEGER })).toEqual({ kind: 'unsupported' });
    expect(parseCircuitRecord({ ...open, v: 1.5 })).toEqual({ kind: 'malformed' });
    expect(parseCircuitRecord({ ...open, v: Number.NaN })).toEqual({ kind: 'malformed' });
    expect(parseCircuitRecord({ ...open, v: 2 ** 53 })).toEqual({ kind: 'malformed' });
  });

  it('accepts a tab id of 64 and of 1 characters, rejects 65', () => {
    const tab64 = 't'.repeat(64);
    expect(parseCircuitRecord({ ...closed, tab: tab64 })).toEqual({ kind: 'record', record: { ...closed, tab: tab64 } });
    expect(parseCircuitRecord({ ...closed, tab: 't' })).toEqual({ kind: 'record', record: { ...closed, tab: 't' } });
    expect(parseCircuitRecord({ ...closed, tab: 't'.repeat(65) })).toEqual({ kind: 'malformed' });
  });

  it('an unknown state is malformed even when it carries a valid closedAt or open fields', () => {
    expect(parseCircuitRecord({ ...closed, state: 'halfOpen' })).toEqual({ kind: 'malformed' });
    expect(parseCircuitRecord({ ...open, closedAt: 2_000, state: 'CLOSED' })).toEqual({ kind: 'malformed' });
    expect(parseCircuitRecord({ ...closed, state: undefined })).toEqual({ kind: 'malformed' });
  });

  it('a closed record keeps only its own fields', () => {
    expect(parseCircuitRecord({ ...closed, openedAt: 5, reopenCount: 1, extra: true })).toEqual({ kind: 'record', record: closed });
  });

  it('non-number times and counts are malformed', () => {
    expect(parseCircuitRecord({ ...closed, closedAt: '2000' })).toEqual({ kind: 'malformed' });
    expect(parseCircuitRecord({ ...open, reopenCount: '2' })).toEqual({ kind: 'malformed' });
    expect(parseCircuitRecord({ ...open, seq: '3' })).toEqual({ kind: 'malformed' });
  });
});

describe('parseStoredRecord', () => {
  it('null when nothing is stored; malformed for text that is not JSON; parses JSON records', () => {
    expect(parseStoredRecord(null)).toBeNull();
    expect(parseStoredRecord('{not json')).toEqual({ kind: 'malformed' });
    expect(parseStoredRecord('')).toEqual({ kind: 'malformed' });
    expect(parseStoredRecord(JSON.stringify(closed))).toEqual({ kind: 'record', record: closed });
    expect(parseStoredRecord(JSON.stringify({ ...closed, v: 2 }))).toEqual({ kind: 'unsupported' });
  });
});

describe('keys and channel names', () => {
  it('are exact, namespaced strings', () => {
    expect(recordKey('api')).toBe('xstate-circuit-breaker:circuit:api');
    expect(leaseKey('api')).toBe('xstate-circuit-breaker:trial:api');
    expect(channelName('api')).toBe('xstate-circuit-breaker:api');
    expect(leaseKey('')).toBe('xstate-circuit-breaker:trial:');
  });
});

describe('createTabId', () => {
  it('uses crypto.randomUUID when there is one', () => {
    vi.stubGlobal('crypto', { randomUUID: () => 'uuid-from-crypto' });
    expect(createTabId()).toBe('uuid-from-crypto');
  });

  it('falls back to time and Math.random when crypto has no randomUUID', () => {
    vi.stubGlobal('crypto', {});
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    vi.spyOn(Math, 'random').mockReturnValue(0.123456789);
    // (1_700_000_000_000).toString(36) === 'loyw3v28'; (0.123456789).toString(36) === '0.4fzzzxjylrx', sliced to 10 characters.
    expect(createTabId()).toBe('loyw3v28-4fzzzxjylr');
  });

  it('falls back when there is no crypto at all', () => {
    vi.stubGlobal('crypto', undefined);
    vi.spyOn(Date, 'now').mockReturnValue(35);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(createTabId()).toBe('z-i');
  });

  it('real ids fit in a record (1 to 64 characters) and differ', () => {
    const a = createTabId();
    const b = createTabId();
    expect(a.length).toBeGreaterThan(0);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(a).not.toBe(b);
  });
});
