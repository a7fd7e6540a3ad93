/** One member of a comma-separated header value such as `"default";r=42;t=7` or `limit=100`. */
export interface HeaderListItem {
  /** The bare item (token, number, or quoted string without its quotes), or the key of a `key=value` member. */
  readonly name: string;
  /** The value of a `key=value` member (a Structured Fields dictionary entry); `null` for a bare item. */
  readonly value: string | null;
  /** Parameters after `;`, keys lower-cased; a parameter written without `=` has the value `''`. */
  readonly params: Readonly<Record<string, string>>;
}

const ESCAPE = /\\(.)/g;

/**
 * Splits a header value into its comma-separated members with their `;key=value` parameters, covering both
 * Structured Fields lists and dictionaries (RFC 8941) and the looser forms the RateLimit drafts used before them.
 * Commas and semicolons inside quoted strings are respected. Lenient: it never throws, and a malformed member is
 * kept as far as it could be read.
 *
 * @internal
 * @example
 * parseHeaderList('"default";r=42;t=7')
 * // [{ name: 'default', value: null, params: { r: '42', t: '7' } }]
 */
export function parseHeaderList(text: string): HeaderListItem[] {
  const items: HeaderListItem[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    i = skipOws(text, i);
    if (i >= n) break;
    if (text.charCodeAt(i) === COMMA) {
      i++;
      continue;
    }

    let name: string;
    if (text.charCodeAt(i) === QUOTE) {
      const close = closingQuote(text, i);
      name = unquote(text, i + 1, close);
      i = close + 1;
    } else {
      const from = i;
      i = scanTo(text, i, true);
      name = text.slice(from, trimEnd(text, from, i));
    }

    let value: string | null = null;
    i = skipOws(text, i);
    if (i < n && text.charCodeAt(i) === EQUALS) {
      const read = readValue(text, skipOws(text, i + 1));
      value = read.value;
      i = read.next;
    }

    const params: Record<string, string> = Object.create(null);
    for (;;) {
      i = skipOws(text, i);
      if (i >= n || text.charCodeAt(i) !== SEMICOLON) break;
      i = skipOws(text, i + 1);
      const from = i;
      i = scanTo(text, i, true);
      const key = text.slice(from, trimEnd(text, from, i)).toLowerCase();
      let paramValue = '';
      if (i < n && text.charCodeAt(i) === EQUALS) {
        const read = readValue(text, skipOws(text, i + 1));
        paramValue = read.value;
        i = read.next;
      }
      if (key !== '') params[key] = paramValue;
    }

    // Anything else before the next comma is not part of a well-formed member: skip it.
    while (i < n && text.charCodeAt(i) !== COMMA) i++;
    items.push({ name, value, params });
  }
  return items;
}

const COMMA = 44;
const SEMICOLON = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;

function readValue(text: string, i: number): { value: string; next: number } {
  if (i < text.length && text.charCodeAt(i) === QUOTE) {
    const close = closingQuote(text, i);
    return { value: unquote(text, i + 1, close), next: close + 1 };
  }
  const end = scanTo(text, i, false);
  return { value: text.slice(i, trimEnd(text, i, end)), next: end };
}

/** Index of the first `,` or `;` (and `=` when `stopAtEquals`) at or after `i`, or the end. */
function scanTo(text: string, i: number, stopAtEquals: boolean): number {
  const n = text.length;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === SEMICOLON || (stopAtEquals && c === EQUALS)) break;
  }
  return i;
}

/** Index of the quote closing the string opened at `open`, or the end of the text if it is never closed. */
function closingQuote(text: string, open: number): number {
  const n = text.length;
  for (let i = open + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  return n;
}

function unquote(text: string, from: number, to: number): string {
  const raw = text.slice(from, to);
  return raw.indexOf('\\') === -1 ? raw : raw.replace(ESCAPE, '$1');
}

function skipOws(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

function trimEnd(text: string, from: number, to: number): number {
  while (to > from) {
    const c = text.charCodeAt(to - 1);
    if (c !== 32 && c !== 9) break;
    to--;
  }
  return to;
}
