import { readHeader } from './headers.js';
import { parseDecimal } from './parseDecimal.js';
import { parseHeaderList, type HeaderListItem } from './parseHeaderList.js';

/** What a response's rate-limit headers say about the caller's quota. Each field is `null` when not given. */
export interface RateLimitInfo {
  /** Requests allowed in the window (the quota). */
  limit: number | null;
  /** Requests left in the current window. */
  remaining: number | null;
  /** Milliseconds from now until the quota resets (0 when the reset is already past). */
  resetMs: number | null;
  /** Length of the quota window in milliseconds. */
  windowMs: number | null;
  /**
   * Which header family it came from: `'ietf'` for the IETF `RateLimit-*` drafts up to 07 (including the combined
   * `RateLimit: limit=…, remaining=…, reset=…`), `'ietf-structured'` for the Structured Fields drafts from 08
   * (`RateLimit: "name";r=…;t=…`), `'x-ratelimit'` for the de-facto `X-RateLimit-*` headers.
   */
  source: 'ietf' | 'ietf-structured' | 'x-ratelimit';
}

const MAX = Number.MAX_SAFE_INTEGER;

/** `X-RateLimit-*` and Twitter/X's `X-Rate-Limit-*`, same meaning. */
const X_HEADERS = [
  ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after'],
  ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset', 'x-rate-limit-reset-after'],
] as const;

/**
 * Reads the rate-limit headers of a response, or `null` when it has none that can be read.
 *
 * Formats, first found wins:
 * - IETF Structured Fields drafts (08 and later): `RateLimit: "default";r=42;t=7` with
 *   `RateLimit-Policy: "default";q=100;w=60`. With several items, the one with the fewest remaining is used, with
 *   the policy of the same name.
 * - IETF draft 07: `RateLimit: limit=100, remaining=42, reset=7` with `RateLimit-Policy: 100;w=60`.
 * - IETF drafts up to 06: `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (delta seconds) and
 *   `RateLimit-Policy: 10;w=1, 100;w=60` (the policy whose quota equals the limit, else the first); a limit written
 *   `100, 100;w=60` (draft 03) gives its leading number and the window of its `w=`.
 * - `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` and `X-RateLimit-Reset-After` (seconds,
 *   preferred when present); also spelled `X-Rate-Limit-*`.
 *
 * Any reset is read as delta seconds, unless it is above 1e9 (epoch seconds, as GitHub sends) or above 1e12 (epoch
 * milliseconds); an epoch is turned into milliseconds from `nowMs`, at least 0. A repeated header (`"5, 3"`) gives the
 * fewest remaining and the latest reset. A garbage or negative number leaves its field `null`. Never throws.
 *
 * @param headers - A `Headers`, a plain header object, or anything else (giving `null`); see `readHeader`.
 * @param nowMs - The current time in epoch milliseconds, from the injected clock.
 * @example
 * const headers = new Headers({ 'X-RateLimit-Limit': '5000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1700000060' })
 * parseRateLimitHeaders(headers, 1_700_000_000_000)
 * // { limit: 5000, remaining: 0, resetMs: 60000, windowMs: null, source: 'x-ratelimit' }
 */
export function parseRateLimitHeaders(headers: unknown, nowMs: number): RateLimitInfo | null {
  if (headers === null || (typeof headers !== 'object' && typeof headers !== 'function')) return null;
  const policy = readHeader(headers, 'ratelimit-policy');
  const combined = readHeader(headers, 'ratelimit');
  return (
    (combined === null ? null : fromCombined(combined, policy, nowMs)) ??
    fromSeparate(headers, policy, nowMs) ??
    fromX(headers, X_HEADERS[0], nowMs) ??
    fromX(headers, X_HEADERS[1], nowMs)
  );
}

/** The single `RateLimit` header: a draft-07 dictionary or a draft-08+ Structured Fields list. */
function fromCombined(value: string, policy: string | null, nowMs: number): RateLimitInfo | null {
  const items = parseHeaderList(value);
  let isDictionary = false;
  for (const item of items) if (item.value !== null) isDictionary = true;

  if (isDictionary) {
    let limit = -1;
    let remaining = -1;
    let reset = -1;
    for (const item of items) {
      if (item.value === null) continue;
      const key = item.name.toLowerCase();
      if (key === 'limit') limit = parseCount(item.value);
      else if (key === 'remaining') remaining = parseCount(item.value);
      else if (key === 'reset') reset = parseSeconds(item.value);
    }
    const chosen = policy === null ? null : pickPolicy(parseHeaderList(policy), limit);
    if (limit < 0 && chosen !== null) limit = chosen.quota;
    return build(limit, remaining, resetFromNow(reset, nowMs), chosen?.windowMs ?? -1, 'ietf');
  }

  // Structured Fields: the tightest item (fewest remaining) is the one that limits the next request.
  let chosen: HeaderListItem | undefined;
  let chosenRemaining = -1;
  for (const item of items) {
    const r = parseParam(item, 'r', parseCount);
    if (chosen === undefined || (r >= 0 && (chosenRemaining < 0 || r < chosenRemaining))) {
      chosen = item;
      chosenRemaining = r;
    }
  }
  if (chosen === undefined) return null;
  let limit = -1;
  let windowMs = -1;
  if (policy !== null) {
    for (const item of parseHeaderList(policy)) {
      if (item.name !== chosen.name) continue;
      limit = parseParam(item, 'q', parseCount);
      windowMs = parseParam(item, 'w', parseSeconds);
      break;
    }
  }
  const reset = resetFromNow(parseParam(chosen, 't', parseSeconds), nowMs);
  return build(limit, chosenRemaining, reset, windowMs, 'ietf-structured');
}

/** `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` (drafts up to 06). */
function fromSeparate(headers: object, policy: string | null, nowMs: number): RateLimitInfo | null {
  const limitValue = readHeader(headers, 'ratelimit-limit');
  const remainingValue = readHeader(headers, 'ratelimit-remaining');
  const resetValue = readHeader(headers, 'ratelimit-reset');
  if (limitValue === null && remainingValue === null && resetValue === null && policy === null) return null;

  let limit = limitValue === null ? -1 : leadingNumber(limitValue, 'first', 0);
  // Draft 03 lists the policies in the limit header itself: "100, 100;w=60".
  const policies =
    policy !== null
      ? parseHeaderList(policy)
      : limitValue !== null && limitValue.indexOf(';') !== -1
        ? parseHeaderList(limitValue).filter((item) => item.params['w'] !== undefined)
        : [];
  const chosen = pickPolicy(policies, limit);
  if (limit < 0 && chosen !== null) limit = chosen.quota;

  const remaining = remainingValue === null ? -1 : leadingNumber(remainingValue, 'min', 0);
  const reset = resetValue === null ? -1 : leadingNumber(resetValue, 'max', 3);
  return build(limit, remaining, resetFromNow(reset, nowMs), chosen?.windowMs ?? -1, 'ietf');
}

function fromX(headers: object, names: (typeof X_HEADERS)[number], nowMs: number): RateLimitInfo | null {
  const limitValue = readHeader(headers, names[0]);
  const remainingValue = readHeader(headers, names[1]);
  const resetValue = readHeader(headers, names[2]);
  const resetAfterValue = readHeader(headers, names[3]);
  if (limitValue === null && remainingValue === null && resetValue === null && resetAfterValue === null) return null;

  const limit = limitValue === null ? -1 : leadingNumber(limitValue, 'first', 0);
  const remaining = remainingValue === null ? -1 : leadingNumber(remainingValue, 'min', 0);
  // Reset-After is a plain delta and immune to clock skew, so it wins over an epoch Reset.
  const resetAfter = resetAfterValue === null ? -1 : leadingNumber(resetAfterValue, 'max', 3);
  const reset =
    resetAfter >= 0 ? resetAfter : resetFromNow(resetValue === null ? -1 : leadingNumber(resetValue, 'max', 3), nowMs);
  return build(limit, remaining, reset, -1, 'x-ratelimit');
}

/** The policy whose quota equals `limit`, else the first; its quota from a bare number or `q=`, window from `w=`. */
function pickPolicy(items: readonly HeaderListItem[], limit: number): { quota: number; windowMs: number } | null {
  let first: { quota: number; windowMs: number } | null = null;
  for (const item of items) {
    const q = item.params['q'];
    const quota = q !== undefined ? parseCount(q) : parseCount(item.name);
    const candidate = { quota, windowMs: parseParam(item, 'w', parseSeconds) };
    if (limit >= 0 && quota === limit) return candidate;
    first ??= candidate;
  }
  return first;
}

/**
 * Reads a reset value (already in milliseconds of its unit × 1000) as a delta, or as an epoch when it is too large
 * to be one: above 1e9 seconds it is epoch seconds, above 1e12 epoch milliseconds.
 */
function resetFromNow(scaled: number, nowMs: number): number {
  if (scaled < 0) return -1;
  let delta: number;
  if (scaled > 1e15) delta = scaled / 1000 - nowMs;
  else if (scaled > 1e12) delta = scaled - nowMs;
  else return scaled;
  if (Number.isNaN(delta)) return -1;
  if (delta <= 0) return 0;
  return delta >= MAX ? MAX : Math.ceil(delta);
}

/**
 * The number leading each comma-separated member (up to its first `;`), combined across members: the first valid
 * one, the smallest, or the largest. -1 when none is valid.
 */
function leadingNumber(text: string, pick: 'first' | 'min' | 'max', fractionDigits: 0 | 3): number {
  let result = -1;
  const n = text.length;
  let start = 0;
  while (start <= n) {
    let end = text.indexOf(',', start);
    if (end === -1) end = n;
    let numberEnd = text.indexOf(';', start);
    if (numberEnd === -1 || numberEnd > end) numberEnd = end;
    const value = parseDecimal(text, start, numberEnd, fractionDigits);
    if (value >= 0) {
      if (pick === 'first') return value;
      if (result < 0 || (pick === 'min' ? value < result : value > result)) result = value;
    }
    start = end + 1;
  }
  return result;
}

function parseParam(item: HeaderListItem, key: string, parse: (text: string) => number): number {
  const value = item.params[key];
  return value === undefined ? -1 : parse(value);
}

function parseCount(text: string): number {
  return parseDecimal(text, 0, text.length, 0);
}

function parseSeconds(text: string): number {
  return parseDecimal(text, 0, text.length, 3);
}

function build(
  limit: number,
  remaining: number,
  resetMs: number,
  windowMs: number,
  source: RateLimitInfo['source'],
): RateLimitInfo | null {
  if (limit < 0 && remaining < 0 && resetMs < 0 && windowMs < 0) return null;
  return {
    limit: limit < 0 ? null : limit,
    remaining: remaining < 0 ? null : remaining,
    resetMs: resetMs < 0 ? null : resetMs,
    windowMs: windowMs < 0 ? null : windowMs,
    source,
  };
}
