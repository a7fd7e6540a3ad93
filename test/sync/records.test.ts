import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCircuitRecord, parseStoredRecord } from '../../src/sync/records.js';

const open = { v: 1, seq: 3, tab: 'tab-a', state: 'open', openedAt: 1_000, openDurationMs: 60_000, reopenCount: 2 };
const closed = { v: 1, seq: 4, tab: 'tab-a', state: 'closed', closedAt: 2_000 };

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
});
