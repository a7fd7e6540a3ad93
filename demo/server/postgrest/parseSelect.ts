import { parseError, unsupported } from './PostgrestError.js';

/** One item of `select=`. */
export type SelectItem =
  | { readonly kind: 'star' }
  | { readonly kind: 'column'; readonly name: string; readonly alias: string | null; readonly cast: string | null }
  | {
      readonly kind: 'embed';
      /** A related table, or a foreign-key column of the parent. */
      readonly name: string;
      readonly alias: string | null;
      /** Disambiguation hint: a foreign-key constraint name or column. */
      readonly hint: string | null;
      /** `!inner`: keep only parent rows that have a related row. */
      readonly inner: boolean;
      readonly items: readonly SelectItem[];
    };

const STOP = new Set([',', '(', ')', ':', '!', '.']);

/**
 * Parses PostgREST's `select=` syntax: `*`, `col`, `alias:col`, `col::type`, and embedded resources
 * `rel(*)`, `alias:rel!hint!inner(cols)`. JSON paths, aggregates and spreads are rejected as unsupported.
 *
 * @example
 * ```ts
 * parseSelect('id,full:first_name,contacts(email)');
 * ```
 */
export function parseSelect(input: string): SelectItem[] {
  const text = input.trim();
  if (text === '') return [{ kind: 'star' }];
  let pos = 0;
  const fail = (why: string): never => {
    throw parseError(`failed to parse select parameter (${input})`, why);
  };
  const skipSpaces = (): void => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos += 1;
  };
  const readName = (): string => {
    skipSpaces();
    if (text[pos] === '"') {
      let out = '';
      pos += 1;
      while (pos < text.length && text[pos] !== '"') {
        if (text[pos] === '\\') pos += 1;
        out += text[pos] ?? '';
        pos += 1;
      }
      if (text[pos] !== '"') fail('unterminated quoted name');
      pos += 1;
      skipSpaces();
      return out;
    }
    const start = pos;
    while (pos < text.length && !STOP.has(text[pos] ?? '') && !text.startsWith('->', pos) && !text.startsWith('::', pos)) {
      pos += 1;
    }
    const name = text.slice(start, pos).trim();
    if (name === '') fail(`expected a name at position ${start}`);
    skipSpaces();
    return name;
  };

  const parseItem = (): SelectItem => {
    skipSpaces();
    if (text[pos] === '*') {
      pos += 1;
      skipSpaces();
      return { kind: 'star' };
    }
    if (text.startsWith('...', pos)) throw unsupported('spread embedding (...rel) in select');
    let name = readName();
    let alias: string | null = null;
    if (text[pos] === ':' && text[pos + 1] !== ':') {
      pos += 1;
      alias = name;
      name = readName();
    }
    if (text.startsWith('->', pos)) throw unsupported('JSON paths (->, ->>) in select');
    if (text[pos] === '.') throw unsupported('aggregate functions in select');
    let hint: string | null = null;
    let inner = false;
    while (text[pos] === '!') {
      pos += 1;
      const word = readName();
      if (word === 'inner') inner = true;
      else if (word !== 'left') hint = word;
    }
    if (text[pos] === '(') {
      pos += 1;
      const items = parseList(')');
      if (text[pos] !== ')') fail(`expected ")" at position ${pos}`);
      pos += 1;
      skipSpaces();
      return { kind: 'embed', name, alias, hint, inner, items };
    }
    if (hint !== null || inner) fail(`"!" hint without an embedded resource after "${name}"`);
    let cast: string | null = null;
    if (text.startsWith('::', pos)) {
      pos += 2;
      const start = pos;
      while (pos < text.length && /[A-Za-z0-9_ ]/.test(text[pos] ?? '')) pos += 1;
      cast = text.slice(start, pos).trim();
      if (cast === '') fail(`expected a type name after "::" at position ${start}`);
      skipSpaces();
    }
    return { kind: 'column', name, alias, cast };
  };

  const parseList = (end: ')' | null): SelectItem[] => {
    const items: SelectItem[] = [];
    for (;;) {
      items.push(parseItem());
      if (text[pos] === ',') {
        pos += 1;
        continue;
      }
      if (end === null ? pos >= text.length : text[pos] === end) return items;
      fail(`unexpected "${text[pos] ?? 'end of input'}" at position ${pos}`);
    }
  };

  return parseList(null);
}
