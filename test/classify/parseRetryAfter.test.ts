import { afterEach, describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseRetryAfter } from '../../src/classify/index.js';
import { readHeader } from '../../src/classify/headers.js';

const NOW = Date.parse('2015-10-21T07:28:00Z');
const MAX = Number.MAX_SAFE_INTEGER;

describe('parseRetryAfter', () => {
  describe('delta-seconds', () => {
    it('turns seconds into milliseconds', () => {
      expect(parseRetryAfter('120', NOW)).toBe(120_000);
      expect(parseRetryAfter('0', NOW)).toBe(0);
      expect(parseRetryAfter('007', NOW)).toBe(7_000);
    });

    it('allows spaces and tabs around the number', () => {
      expect(parseRetryAfter('  120 ', NOW)).toBe(120_000);
      expect(parseRetryAfter('\t3\t', NOW)).toBe(3_000);
    });

    it('accepts fractions leniently, exactly, rounding sub-millisecond digits up', () => {
      expect(parseRetryAfter('1.5', NOW)).toBe(1_500);
      expect(parseRetryAfter('0.57', NOW)).toBe(570);
      expect(parseRetryAfter('.25', NOW)).toBe(250);
      expect(parseRetryAfter('2.', NOW)).toBe(2_000);
      expect(parseRetryAfter('0.0001', NOW)).toBe(1);
      expect(parseRetryAfter('1.000', NOW)).toBe(1_000);
    });

    it('returns huge values as they are, never above Number.MAX_SAFE_INTEGER', () => {
      expect(parseRetryAfter('86400000', NOW)).toBe(86_400_000_000);
      expect(parseRetryAfter('9007199254740', NOW)).toBe(9_007_199_254_740_000);
      expect(parseRetryAfter('9007199254741', NOW)).toBe(MAX);
      expect(parseRetryAfter('9'.repeat(400), NOW)).toBe(MAX);
    });
  });

  describe('HTTP-date', () => {
    it('gives the time until a future IMF-fixdate', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT', NOW)).toBe(60_000);
      expect(parseRetryAfter('  Wed, 21 Oct 2015 07:28:30 GMT  ', NOW)).toBe(30_000);
    });

    it('gives 0 for a date now or in the past', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
      expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
    });

    it('reads the obsolete RFC 850 and asctime forms', () => {
      expect(parseRetryAfter('Wednesday, 21-Oct-15 07:29:00 GMT', NOW)).toBe(60_000);
      expect(parseRetryAfter('Wed Oct 21 07:29:00 2015', NOW)).toBe(60_000);
      expect(parseRetryAfter('Wed Oct  1 07:28:00 2015', Date.parse('2015-10-01T07:27:59Z'))).toBe(1_000);
    });

    describe('in a time zone other than UTC', () => {
      const tz = process.env['TZ'];
      afterEach(() => {
        if (tz === undefined) delete process.env['TZ'];
        else process.env['TZ'] = tz;
      });

      it('reads an asctime date as GMT, not local time', () => {
        process.env['TZ'] = 'America/New_York';
        expect(new Date(NOW).getTimezoneOffset()).not.toBe(0);
        expect(parseRetryAfter('Wed Oct 21 07:29:00 2015', NOW)).toBe(60_000);
        expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT', NOW)).toBe(60_000);
      });
    });

    it('reads a zone offset, a leap day and a weekday that does not match the date', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 09:29:00 +0200', NOW)).toBe(60_000);
      expect(parseRetryAfter('Wed, 21 Oct 2015 02:29:00 -0500', NOW)).toBe(60_000);
      expect(parseRetryAfter('Mon, 29 Feb 2016 07:28:00 GMT', NOW)).toBe(Date.parse('2016-02-29T07:28:00Z') - NOW);
      expect(parseRetryAfter('Tue, 01 Mar 2000 00:00:00 GMT', Date.parse('2000-02-29T00:00:00Z'))).toBe(86_400_000);
      expect(parseRetryAfter('Fri, 21 Oct 2015 07:29:00 GMT', NOW)).toBe(60_000);
    });

    it('reads second 60 as the leap second the grammar allows, not as the start of that minute', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:60 GMT', NOW)).toBe(60_000);
    });

    it('reads an RFC 850 two-digit year more than 50 years ahead as the past century', () => {
      expect(parseRetryAfter('Wednesday, 21-Oct-65 07:29:00 GMT', NOW)).toBe(Date.parse('2065-10-21T07:29:00Z') - NOW);
      expect(parseRetryAfter('Thursday, 21-Oct-66 07:29:00 GMT', NOW)).toBe(0);
    });

    it.each([
      ['31 February', 'Tue, 31 Feb 2026 10:00:00 GMT'],
      ['30 February', 'Mon, 30 Feb 2026 10:00:00 GMT'],
      ['29 February of a common year', 'Sun, 29 Feb 2026 10:00:00 GMT'],
      ['29 February of a century that is not a leap year', 'Thu, 29 Feb 2100 10:00:00 GMT'],
      ['31 April', 'Fri, 31 Apr 2026 10:00:00 GMT'],
      ['day 32', 'Sun, 32 Jan 2026 10:00:00 GMT'],
      ['day 0', 'Wed, 00 Oct 2026 10:00:00 GMT'],
      ['hour 24', 'Tue, 10 Feb 2026 24:00:00 GMT'],
      ['minute 60', 'Tue, 10 Feb 2026 10:60:00 GMT'],
      ['second 61', 'Tue, 10 Feb 2026 10:00:61 GMT'],
      ['a zone of 24 hours', 'Tue, 10 Feb 2026 10:00:00 +2400'],
      ['an RFC 850 31 February', 'Tuesday, 31-Feb-26 10:00:00 GMT'],
      ['an asctime 31 February', 'Tue Feb 31 10:00:00 2026'],
    ])('gives null for an impossible date: %s', (_label, value) => {
      expect(parseRetryAfter(value, Date.parse('2026-01-01T00:00:00Z'))).toBeNull();
    });

    it('rounds a fractional clock up to whole milliseconds', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT', NOW + 0.25)).toBe(60_000);
    });
  });

  describe('nothing usable', () => {
    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['a word', 'soon'],
      ['negative', '-5'],
      ['signed', '+5'],
      ['exponent', '1e3'],
      ['hex', '0x10'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['two dots', '1.2.3'],
      ['a unit', '5s'],
      ['what Date.parse alone would read as 2001', 'a 1'],
      ['an impossible date', 'Wed, 45 Foo 2015 07:29:00 GMT'],
      ['only commas', ', ,'],
    ])('gives null for %s', (_label, value) => {
      expect(parseRetryAfter(value, NOW)).toBeNull();
    });

    it('gives null for null and undefined', () => {
      expect(parseRetryAfter(null, NOW)).toBeNull();
      expect(parseRetryAfter(undefined, NOW)).toBeNull();
    });

    it('gives null for a date when the clock is not a number', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT', Number.NaN)).toBeNull();
    });
  });

  describe('a header sent twice', () => {
    it('takes the largest of joined delta-seconds', () => {
      expect(parseRetryAfter('1, 5', NOW)).toBe(5_000);
      expect(parseRetryAfter('5, 1', NOW)).toBe(5_000);
      expect(parseRetryAfter('1,5', NOW)).toBe(5_000);
    });

    it('reads what a real Headers gives for an appended duplicate', () => {
      const headers = new Headers();
      headers.append('Retry-After', '1');
      headers.append('Retry-After', '5');
      expect(parseRetryAfter(readHeader(headers, 'retry-after'), NOW)).toBe(5_000);
    });

    it('keeps the comma inside an HTTP-date and takes the later of two dates', () => {
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT, Wed, 21 Oct 2015 07:30:00 GMT', NOW)).toBe(120_000);
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:30:00 GMT, Wed, 21 Oct 2015 07:29:00 GMT', NOW)).toBe(120_000);
    });

    it('mixes dates and seconds', () => {
      expect(parseRetryAfter('30, Wed, 21 Oct 2015 07:29:00 GMT', NOW)).toBe(60_000);
      expect(parseRetryAfter('Wed, 21 Oct 2015 07:29:00 GMT, 90', NOW)).toBe(90_000);
      expect(parseRetryAfter('Wed Oct 21 07:29:00 2015, 5', NOW)).toBe(60_000);
    });

    it('skips members it cannot read', () => {
      expect(parseRetryAfter('1, soon', NOW)).toBe(1_000);
      expect(parseRetryAfter('-9, 2', NOW)).toBe(2_000);
      expect(parseRetryAfter('soon, later', NOW)).toBeNull();
    });
  });

  describe('properties', () => {
    const isValid = (ms: number | null) => ms === null || (Number.isSafeInteger(ms) && ms >= 0);

    it('never throws and never gives NaN, Infinity or a negative number, for any string and clock', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'0123456789., -GMTWedOct:') })),
          fc.oneof(fc.integer(), fc.double()),
          (value, now) => isValid(parseRetryAfter(value, now)),
        ),
      );
    });

    it('never throws on anything shaped like an HTTP-date', () => {
      const pad = (n: number) => String(n).padStart(2, '0');
      fc.assert(
        fc.property(
          fc.constantFrom('Mon', 'Tue', 'Xyz'),
          fc.integer({ min: 0, max: 99 }),
          fc.constantFrom('Jan', 'Feb', 'Oct', 'Abc'),
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 99 }),
          fc.integer({ min: -8.64e15, max: 8.64e15 }),
          (weekday, day, month, year, hour, now) =>
            isValid(parseRetryAfter(`${weekday}, ${pad(day)} ${month} ${year} ${pad(hour)}:00:00 GMT`, now)),
        ),
      );
    });

    it('reads any whole number of seconds exactly', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 9_007_199_254 }), (seconds) => {
          expect(parseRetryAfter(String(seconds), NOW)).toBe(seconds * 1000);
        }),
      );
    });

    it('takes the largest of any joined list of seconds', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 5 }), (list) => {
          expect(parseRetryAfter(list.join(', '), NOW)).toBe(Math.max(...list) * 1000);
        }),
      );
    });
  });
});
