import { parseError, unsupported } from './PostgrestError.js';
import { splitTopLevel, unquote } from './syntax.js';

/** Operators understood in filters, with the SQL operator of the simple ones. */
export const BINARY_OPERATORS: Readonly<Record<string, string>> = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'LIKE',
  ilike: 'ILIKE',
  match: '~',
  imatch: '~*',
  isdistinct: 'IS DISTINCT FROM',
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxr: '&<',
  nxl: '&>',
  adj: '-|-',
};
export const FTS_OPERATORS: Readonly<Record<string, string>> = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
};
const QUANTIFIABLE = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);

/** A filter on one column, or a logic tree (`or=(…)`, `and=(…)`, nested `and(…)`/`or(…)`). */
export type Condition =
  | {
      readonly kind: 'filter';
      readonly column: string;
      readonly negate: boolean;
      readonly operator: string;
      /** `any`/`all` for quantified comparisons, the text-search configuration for `fts(english)`. */
      readonly modifier: string | null;
      readonly value: string;
    }
  | { readonly kind: 'logic'; readonly operator: 'and' | 'or'; readonly negate: boolean; readonly children: readonly Condition[] };

/**
 * Parses the value of a column filter: `[not.]op[(modifier)].value`, e.g. `eq.5`, `not.in.(1,2)`,
 * `like(any).{a*,b*}`, `fts(english).cat`, `is.null`. In logic trees values may be double-quoted.
 *
 * @example
 * ```ts
 * parseFilter('status', 'not.in.(lead,prospect)');
 * ```
 */
export function parseFilter(column: string, raw: string, inLogicTree = false): Condition {
  let rest = raw;
  let negate = false;
  if (rest.startsWith('not.')) {
    negate = true;
    rest = rest.slice(4);
  }
  const match = /^([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/.exec(rest);
  if (match === null) {
    throw parseError(`failed to parse filter (${raw})`, `expected "operator.value" for column "${column}"`);
  }
  const operator = match[1] ?? '';
  const modifier = match[2] ?? null;
  const rawValue = match[3] ?? '';
  if (!(operator in BINARY_OPERATORS) && !(operator in FTS_OPERATORS) && operator !== 'in' && operator !== 'is') {
    if (['and', 'or', 'not'].includes(operator)) throw unsupported(`logic operator "${operator}" inside a column filter`);
    throw parseError(`failed to parse filter (${raw})`, `unknown operator "${operator}"`);
  }
  if (modifier !== null) {
    const ok = operator in FTS_OPERATORS ? /^[A-Za-z_][A-Za-z0-9_]*$/.test(modifier) : QUANTIFIABLE.has(operator) && (modifier === 'any' || modifier === 'all');
    if (!ok) throw parseError(`failed to parse filter (${raw})`, `"${operator}" does not take the modifier "${modifier}"`);
  }
  const value = inLogicTree && operator !== 'in' && modifier === null ? unquote(rawValue) : rawValue;
  return { kind: 'filter', column, negate, operator, modifier, value };
}

/**
 * Parses a logic tree query parameter: key `or`, `and`, `not.or` or `not.and`, value `(cond,cond,…)`,
 * where each cond is `col.op.value`, `col.not.op.value`, or a nested `and(…)`, `or(…)`, `not.and(…)`, `not.or(…)`.
 *
 * @example
 * ```ts
 * parseLogicTree('or', '(first_name.ilike.*ada*,and(status.eq.lead,company.is.null))');
 * ```
 */
export function parseLogicTree(key: string, raw: string): Condition {
  const negate = key.startsWith('not.');
  const operator = negate ? key.slice(4) : key;
  if (operator !== 'and' && operator !== 'or') throw parseError(`unknown logic operator "${key}"`);
  if (!raw.startsWith('(') || !raw.endsWith(')')) {
    throw parseError(`failed to parse logic tree (${raw})`, `expected "${key}=(…)"`);
  }
  const inner = raw.slice(1, -1);
  const children = inner.trim() === '' ? [] : splitTopLevel(inner).map((part) => parseLogicElement(part.trim()));
  return { kind: 'logic', operator, negate, children };
}

function parseLogicElement(part: string): Condition {
  const nested = /^(not\.)?(and|or)(\([\s\S]*\))$/.exec(part);
  if (nested !== null) return parseLogicTree(`${nested[1] ?? ''}${nested[2] ?? ''}`, nested[3] ?? '');
  let column: string;
  let rest: string;
  if (part.startsWith('"')) {
    const end = part.indexOf('"', 1);
    if (end < 0 || part[end + 1] !== '.') throw parseError(`failed to parse logic tree element (${part})`);
    column = part.slice(1, end);
    rest = part.slice(end + 2);
  } else {
    const dot = part.indexOf('.');
    if (dot <= 0) throw parseError(`failed to parse logic tree element (${part})`, 'expected "column.operator.value"');
    column = part.slice(0, dot);
    rest = part.slice(dot + 1);
  }
  return parseFilter(column, rest, true);
}
