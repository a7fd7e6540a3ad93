import { parseError, unsupported } from './PostgrestError.js';
import { splitTopLevel, unquote } from './syntax.js';

/** One term of `order=`. */
export interface OrderTerm {
  readonly column: string;
  readonly direction: 'asc' | 'desc' | null;
  readonly nulls: 'first' | 'last' | null;
}

/**
 * Parses `order=col.desc.nullslast,other,third.asc`.
 *
 * @example
 * ```ts
 * parseOrder('last_name.asc,created_at.desc.nullslast');
 * ```
 */
export function parseOrder(raw: string): OrderTerm[] {
  if (raw.trim() === '') return [];
  return splitTopLevel(raw).map((term) => {
    const text = term.trim();
    if (text.includes('(')) throw unsupported('ordering by an embedded resource');
    if (text.includes('->')) throw unsupported('ordering by a JSON path');
    let column: string;
    let modifiers: string[];
    if (text.startsWith('"')) {
      const end = text.indexOf('"', 1);
      if (end < 0) throw parseError(`failed to parse order (${raw})`, 'unterminated quoted column');
      column = unquote(text.slice(0, end + 1));
      modifiers = text.slice(end + 1).split('.').filter((m) => m !== '');
    } else {
      [column = '', ...modifiers] = text.split('.');
    }
    if (column === '') throw parseError(`failed to parse order (${raw})`, 'empty column name');
    let direction: OrderTerm['direction'] = null;
    let nulls: OrderTerm['nulls'] = null;
    for (const modifier of modifiers) {
      if ((modifier === 'asc' || modifier === 'desc') && direction === null && nulls === null) direction = modifier;
      else if ((modifier === 'nullsfirst' || modifier === 'nullslast') && nulls === null) nulls = modifier === 'nullsfirst' ? 'first' : 'last';
      else throw parseError(`failed to parse order (${raw})`, `unexpected "${modifier}" after "${column}"`);
    }
    return { column, direction, nulls };
  });
}
