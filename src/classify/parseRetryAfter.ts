import { parseDecimal } from './parseDecimal.js';

/**
 * The three HTTP-date forms of RFC 9110 §5.6.7, leniently (weekday and zone optional, one- or two-digit day):
 * IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`,
 * asctime `Sun Nov  6 08:49:37 1994`. Group 1 or 2 is the zone when one is written.
 * Checked before `Date.parse`, which on its own reads garbage such as `"a 1"` as 1 January 2001.
 */
const HTTP_DATE =
  /^(?:[a-z]{3,9},? +)?(?:\d{1,2}[ -][a-z]{3}[ -](?:\d{4}|\d{2}) +\d{1,2}:\d{2}:\d{2}(?: +(gmt|utc|[+-]\d{4}))?|[a-z]{3} +\d{1,2} +\d{1,2}:\d{2}:\d{2} +\d{4}(?: +(gmt|utc|[+-]\d{4}))?)$/i;

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * How long a `Retry-After` header asks to wait, in milliseconds, or `null` when it says nothing usable.
 *
 * Accepts delta-seconds (`"120"` → 120000; fractions such as `"1.5"` → 1500 leniently; spaces around allowed) and
 * HTTP-dates in any of the three forms of RFC 9110 (a date without a zone is read as GMT), giving
 * `max(0, date - nowMs)`. A header sent twice arrives joined (`"1, 5"`, or two dates, each with its own comma):
 * the largest valid value wins, as waiting longer never breaks the server's promise, and members that cannot be
 * read are skipped. Negative numbers, `NaN`, `Infinity`, empty and garbage values give `null`. Huge values are
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

/** Milliseconds until the HTTP-date in `text` (0 when it is past), or -1 when `text` is not an HTTP-date. */
function parseDate(text: string, nowMs: number): number {
  const trimmed = text.trim();
  const match = HTTP_DATE.exec(trimmed);
  if (match === null) return -1;
  // HTTP-dates are always GMT; asctime writes no zone, and Date.parse would read it as local time.
  const hasZone = match[1] !== undefined || match[2] !== undefined;
  const date = Date.parse(hasZone ? trimmed : `${trimmed} GMT`);
  const delta = date - nowMs;
  if (Number.isNaN(delta)) return -1;
  if (delta <= 0) return 0;
  return delta >= MAX ? MAX : Math.ceil(delta);
}
