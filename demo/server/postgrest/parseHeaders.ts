import { PostgrestError, parseError } from './PostgrestError.js';

/** Preferences from the `Prefer` header(s) that this stand-in acts on. */
export interface Preferences {
  return: 'representation' | 'minimal' | 'headers-only' | null;
  count: 'exact' | 'planned' | 'estimated' | null;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | null;
  missing: 'default' | 'null' | null;
  /** The preferences that were recognised, for `Preference-Applied`. */
  applied: string[];
}

/**
 * Reads `Prefer: return=representation, count=exact, resolution=merge-duplicates, missing=default`.
 * Several headers arrive joined by commas. Unknown preferences are ignored (PostgREST's lenient handling).
 *
 * @example
 * ```ts
 * parsePreferences('return=representation,count=exact').count; // 'exact'
 * ```
 */
export function parsePreferences(header: string | undefined): Preferences {
  const prefs: Preferences = { return: null, count: null, resolution: null, missing: null, applied: [] };
  if (header === undefined) return prefs;
  for (const part of header.split(',')) {
    const [rawKey = '', rawValue = ''] = part.split('=', 2);
    const key = rawKey.trim().toLowerCase();
    const value = rawValue.trim().toLowerCase();
    if (key === 'return' && (value === 'representation' || value === 'minimal' || value === 'headers-only')) prefs.return = value;
    else if (key === 'count' && (value === 'exact' || value === 'planned' || value === 'estimated')) prefs.count = value;
    else if (key === 'resolution' && (value === 'merge-duplicates' || value === 'ignore-duplicates')) prefs.resolution = value;
    else if (key === 'missing' && (value === 'default' || value === 'null')) prefs.missing = value;
    else continue;
    prefs.applied.push(`${key}=${value}`);
  }
  return prefs;
}

/** How the client wants the result: an array (default) or one object, with nulls stripped or not. */
export interface Representation {
  singular: boolean;
  stripNulls: boolean;
}

/**
 * Picks the first acceptable media type of `Accept`: `application/json`, `application/vnd.pgrst.array+json`,
 * `application/vnd.pgrst.object+json` (with optional `;nulls=stripped`), `*\/*`. Anything else is 406 (PGRST107).
 *
 * @example
 * ```ts
 * parseAccept('application/vnd.pgrst.object+json'); // { singular: true, stripNulls: false }
 * ```
 */
export function parseAccept(header: string | undefined): Representation {
  if (header === undefined || header.trim() === '') return { singular: false, stripNulls: false };
  for (const entry of header.split(',')) {
    const [type = '', ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    const stripNulls = params.includes('nulls=stripped');
    if (type === 'application/vnd.pgrst.object+json' || type === 'application/vnd.pgrst.object') return { singular: true, stripNulls };
    if (type === 'application/json' || type === 'application/vnd.pgrst.array+json' || type === 'application/*' || type === '*/*') {
      return { singular: false, stripNulls };
    }
  }
  throw new PostgrestError({
    status: 406,
    code: 'PGRST107',
    message: `None of these media types are available: ${header}`,
    hint: 'The demo backend answers application/json and application/vnd.pgrst.object+json only.',
  });
}

/** The requested schema (`Accept-Profile` on reads, `Content-Profile` on writes) must be the exposed one. */
export function checkProfile(header: string | undefined, schema: string): void {
  if (header === undefined || header === schema) return;
  throw new PostgrestError({
    status: 406,
    code: 'PGRST106',
    message: `Invalid schema: ${header}`,
    hint: `Only the following schemas are exposed: ${schema}`,
  });
}

/** Range from a `Range: 0-24` header (Range-Unit items); `null` when absent. */
export function parseRangeHeader(header: string | undefined): { from: number; to: number | null } | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^\s*(\d+)-(\d*)\s*$/.exec(header);
  if (match === null) throw parseError(`invalid Range header (${header})`, 'expected "from-to" or "from-"');
  const from = Number(match[1]);
  const to = match[2] === '' || match[2] === undefined ? null : Number(match[2]);
  if (to !== null && to < from) {
    throw new PostgrestError({ status: 416, code: 'PGRST103', message: 'Requested range not satisfiable', details: `Range ${header} ends before it starts.` });
  }
  return { from, to };
}
