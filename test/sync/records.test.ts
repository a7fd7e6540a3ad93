import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { channelName, createTabId, leaseKey, parseCircuitRecord, parseStoredRecord, recordKey, SYNC_VERSION } from '../../src/sync/records.js';

const open = { v: 1, seq: 3, tab: 'tab-a', state: 'open', openedAt: 1_000, openDurationMs: 60_000, reopenCount: 2 };
const closed = { v: 1, seq: 4, tab: 'tab-a', state: 'closed', closedAt: 2_000 };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('parseCircuitRecord', () => {
  it('accepts exactly the two record shapes of version 1, and copies only their fields', () => {
    expect(parseCircuitRecord({ ...open, extra: 'dropped' })).toEqual({ kind: 'record', record: open });
    expect(parseCircuitRecord(closed)).toEqual({ kind: 'record', record: closed });
  });

  it.each([
    ['v missing', { ...open, v: undefined }, 'malformed'],
    ['v as a string', { ...open, v: '1' }, 'malformed'],
    ['v 2', { ...open, v: 2 }, 'unsupported'],
    ['v 0', { ...open, v: 0 }, 'unsupported'],
    ['v -1', { ...open, v: -1 }, 'malformed'],
    ['seq negative', { ...open, seq: -1 }, 'malformed'],
    ['seq fractional', { ...open, seq: 0.5 }, 'malformed'],
    ['seq beyond a safe integer', { ...open, seq: 2 ** 53 }, 'malformed'],
    ['tab missing', { ...open, tab: undefined }, 'malformed'],
    ['tab empty', { ...open, tab: '' }, 'malformed'],
    ['tab too long', { ...open, tab: 'x'.repeat(65) }, 'malformed'],
    ['state unknown', { ...open, state: 'halfOpen' }, 'malformed'],
    ['openedAt NaN', { ...open, openedAt: Number.NaN }, 'malformed'],
    ['openedAt Infinity', { ...open, openedAt: Number.POSITIVE_INFINITY }, 'malformed'],
    ['openedAt negative', { ...open, openedAt: -1 }, 'malformed'],
    ['openDurationMs a string', { ...open, openDurationMs: '60000' }, 'malformed'],
    ['openDurationMs negative', { ...open, openDurationMs: -5 }, 'malformed'],
    ['reopenCount fractional', { ...open, reopenCount: 1.5 }, 'malformed'],
    ['reopenCount over 1000', { ...open, reopenCount: 1001 }, 'malformed'],
    ['closedAt missing', { ...closed, closedAt: undefined }, 'malformed'],
    ['an array', [open], 'malformed'],
    ['null', null, 'malformed'],
    ['a string', JSON.stringify(open), 'malformed'],
  ])('%s → %s', (_label, value, kind) => {
    expect(parseCircuitRecord(value)).toEqual({ kind });
  });

  it('never throws and never accepts a record with a non-finite or negative time, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const parsed = parseCircuitRecord(value);
        if (parsed.kind !== 'record') return;
        const r = parsed.record;
        const times = r.state === 'open' ? [r.openedAt, r.openDurationMs] : [r.closedAt];
        for (const t of times) expect(Number.isFinite(t) && t >= 0).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          v: fc.constantFrom(1, 2, '1', null),
          seq: fc.oneof(fc.integer(), fc.double()),
          tab: fc.string({ maxLength: 70 }),
          state: fc.constantFrom('open', 'closed', 'x'),
          openedAt: fc.oneof(fc.double(), fc.integer()),
          openDurationMs: fc.oneof(fc.double(), fc.integer()),
          reopenCount: fc.integer({ min: -5, max: 1_005 }),
          closedAt: fc.double(),
        }),
        (value) => {
          const parsed = parseCircuitRecord(value);
          if (parsed.kind === 'record') {
            expect(parsed.record.v).toBe(1);
            expect(Number.isSafeInteger(parsed.record.seq) && parsed.record.seq >= 0).toBe(true);
          }
        },
      ),
    );
  });
});

describe('parseStoredRecord', () => {
  it('nothing stored is null; text that is not JSON is malformed', () => {
    expect(parseStoredRecord(null)).toBeNull();
    expect(parseStoredRecord('')).toEqual({ kind: 'malformed' });
    expect(parseStoredRecord('{"v":1')).toEqual({ kind: 'malformed' });
    expect(parseStoredRecord(JSON.stringify(open))).toEqual({ kind: 'record', record: open });
  });

  it('any text that is not JSON is malformed; a stored record of another version is unsupported', () => {
    expect(parseStoredRecord('{not json')).toEqual({ kind: 'malformed' });
    expect(parseStoredRecord(JSON.stringify(closed))).toEqual({ kind: 'record', record: closed });
    expect(parseStoredRecord(JSON.stringify({ ...closed, v: 2 }))).toEqual({ kind: 'unsupported' });
  });
});

describe('parseCircuitRecord takes each field only inside its range', () => {
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

describe('storage keys and channel names', () => {
  it('are exact, namespaced strings', () => {
    expect(recordKey('api')).toBe('xstate-circuit-breaker:circuit:api');
    expect(leaseKey('api')).toBe('xstate-circuit-breaker:trial:api');
    expect(channelName('api')).toBe('xstate-circuit-breaker:api');
    expect(leaseKey('')).toBe('xstate-circuit-breaker:trial:');
  });
});

describe('createTabId gives each tab an id that fits a record', () => {
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
