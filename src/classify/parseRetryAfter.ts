import { parseDecimal } from './parseDecimal.js';

/**
 * The three HTTP-date forms of RFC 9110 §5.6.7, leniently (weekday and zone optional, one- or two-digit day):
 * IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`,
 * asctime `Sun Nov  6 08:49:37 1994`. Groups 1-7 are day, month, year, hour, minute, second and zone of the first
 * two forms; groups 8-14 month, day, hour, minute, second, year and zone of asctime.
 * Checked instead of `Date.parse`, which on its own reads garbage such as `"a 1"` as 1 January 2001 and rolls
 * impossible dates over (`31 Feb` becomes 3 March, `24:00` the next day).
 */
const HTTP_DATE =
  /^(?:[a-z]{3,9},? +)?(?:(\d{1,2})[ -]([a-z]{3})[ -](\d{4}|\d{2}) +(\d{1,2}):(\d{2}):(\d{2})(?: +(gmt|utc|[+-]\d{4}))?|([a-z]{3}) +(\d{1,2}) +(\d{1,2}):(\d{2}):(\d{2}) +(\d{4})(?: +(gmt|utc|[+-]\d{4}))?)$/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * How long a `Retry-After` header asks to wait, in milliseconds, or `null` when it says nothing usable.
 *
 * Accepts delta-seconds (`"120"` → 120000; fractions such as `"1.5"` → 1500 leniently; spaces around allowed) and
 * HTTP-dates in any of the three forms of RFC 9110 (a date without a zone is read as GMT), giving
 * `max(0, date - nowMs)`. A header sent twice arrives joined (`"1, 5"`, or two dates, each with its own comma):
 * the largest valid value wins, as waiting longer never breaks the server's promise, and members that cannot be
 * read are skipped. Negative numbers, `NaN`, `Infinity`, empty and garbage values, and dates that do not exist
 * (`31 Feb`, hour 24, minute 60; a weekday that does not match is ignored) give `null`. Huge values are
 * returned as they are (cap them where they are used), never above `Number.MAX_SAFE_INTEGER`. Never throws.
 *
 * @param value - The header value, as `readHeader` returns it.
 * @param nowMs - The current time in epoch milliseconds, from the injected clock.
 * @example
 * parseRetryAfter('120', Date.now()) // 120000
 * parseRetryAfter('1, 5', Date.now()) // 5000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')) // 60000
 * parseRetryAfter('soon', Date.now()) // null
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (typeof value !== 'string') return null;
  const n = value.length;

  if (value.indexOf(',') === -1) {
    const ms = parseMember(value, 0, n, nowMs);
    return ms < 0 ? null : ms;
  }

  let best = -1;
  let i = 0;
  while (i <= n) {
    let end = value.indexOf(',', i);
    if (end === -1) end = n;
    let ms = parseMember(value, i, end, nowMs);
    if (ms < 0 && end < n) {
      // IMF-fixdate and RFC 850 dates hold a comma after the weekday: try this member joined with the next one.
      let next = value.indexOf(',', end + 1);
      if (next === -1) next = n;
      const joined = parseDate(value.slice(i, next), nowMs);
      if (joined >= 0) {
        ms = joined;
        end = next;
      }
    }
    if (ms > best) best = ms;
    i = end + 1;
  }
  return best < 0 ? null : best;
}

/** Milliseconds for one member (delta-seconds or a comma-free date), or -1. */
function parseMember(text: string, start: number, end: number, nowMs: number): number {
  const seconds = parseDecimal(text, start, end, 3);
  if (seconds >= 0) return seconds;
  return parseDate(start === 0 && end === text.length ? text : text.slice(start, end), nowMs);
}

/**
 * Milliseconds until the HTTP-date in `text` (0 when it is past), or -1 when `text` is not an HTTP-date or names a
 * time that does not exist (day 0, 31 February, 29 February of a common year, hour 24, minute 60, zone +2460).
 * A weekday that does not match the date is ignored, as RFC 9110 lets a recipient do. Second 60 is the leap second
 * the grammar allows and is read as the next minute's first second.
 */
function parseDate(text: string, nowMs: number): number {
  const match = HTTP_DATE.exec(text.trim());
  if (match === null) return -1;
  const asctime = match[1] === undefined;
  const day = Number(asctime ? match[9] : match[1]);
  const month = MONTHS.indexOf((asctime ? match[8] : match[2])!.toLowerCase());
  const yearText = (asctime ? match[13] : match[3])!;
  const hour = Number(asctime ? match[10] : match[4]);
  const minute = Number(asctime ? match[11] : match[5]);
  const second = Number(asctime ? match[12] : match[6]);
  // HTTP-dates are always GMT; asctime writes no zone, and a date without one is read as GMT too.
  const offsetMs = zoneOffsetMs(asctime ? match[14] : match[7]);

  const year = yearText.length === 2 ? fullYear(Number(yearText), nowMs) : Number(yearText);
  if (month < 0 || day < 1 || day > daysInMonth(year, month)) return -1;
  if (hour > 23 || minute > 59 || second > 60 || offsetMs === null) return -1;

  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  const delta = date.getTime() - offsetMs - nowMs;
  if (Number.isNaN(delta)) return -1;
  if (delta <= 0) return 0;
  return delta >= MAX ? MAX : Math.ceil(delta);
}

/** The zone's offset from GMT in milliseconds (`+0200` gives 7,200,000), 0 for none, or `null` when impossible. */
function zoneOffsetMs(zone: string | undefined): number | null {
  if (zone === undefined || zone.length !== 5) return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3, 5));
  if (hours > 23 || minutes > 59) return null;
  const ms = (hours * 60 + minutes) * 60_000;
  return zone[0] === '-' ? -ms : ms;
}

/**
 * The year an RFC 850 two-digit year stands for: RFC 9110 reads one that would be more than 50 years in the future
 * as the most recent past year with the same last two digits. NaN when the clock is not a date.
 */
function fullYear(twoDigits: number, nowMs: number): number {
  const nowYear = new Date(nowMs).getUTCFullYear();
  const year = nowYear - (nowYear % 100) + twoDigits;
  return year > nowYear + 50 ? year - 100 : year;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}
