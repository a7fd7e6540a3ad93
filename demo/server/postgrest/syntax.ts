import { parseError } from './PostgrestError.js';

/**
 * Splits `input` at `separator` where it is not inside parentheses, braces or double quotes
 * (a backslash escapes the next character inside quotes).
 */
export function splitTopLevel(input: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < input.length; i += 1) {
    const ch = input[i];
    if (inQuotes) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inQuotes = false;
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === '(' || ch === '{') depth += 1;
    else if (ch === ')' || ch === '}') depth -= 1;
    else if (ch === separator && depth === 0) {
      parts.push(input.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw parseError(`failed to parse "${input}"`, `unbalanced "${ch}" at position ${i}`);
  }
  if (inQuotes || depth !== 0) throw parseError(`failed to parse "${input}"`, 'unbalanced quotes or parentheses');
  parts.push(input.slice(start));
  return parts;
}

/** `"a \"b\""` → `a "b"`; anything not wrapped in double quotes is returned as it is. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/**
 * Reads a list value: `(a,b,"c,d")` (for `in`) or `{a,b}` (for the `any`/`all` modifiers).
 * Items in double quotes may contain commas and parentheses.
 */
export function parseListValue(raw: string, open: '(' | '{', close: ')' | '}'): string[] {
  if (!raw.startsWith(open) || !raw.endsWith(close)) {
    throw parseError(`failed to parse list "${raw}"`, `expected a list like ${open}a,b${close}`);
  }
  const inner = raw.slice(1, -1);
  if (inner.length === 0) return [];
  return splitTopLevel(inner).map(unquote);
}
