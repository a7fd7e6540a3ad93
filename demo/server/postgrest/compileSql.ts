import type { ColumnInfo, RelationInfo, SchemaCache } from './loadSchemaCache.js';
import { BINARY_OPERATORS, FTS_OPERATORS, type Condition } from './parseConditions.js';
import type { OrderTerm } from './parseOrder.js';
import type { SelectItem } from './parseSelect.js';
import { PostgrestError, parseError } from './PostgrestError.js';
import { parseListValue } from './syntax.js';

/** Quotes an identifier: names checked against the schema cache, and output aliases chosen by the client. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw parseError('identifiers cannot contain NUL characters');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Bind parameters of one statement: values never enter the SQL text. */
export interface SqlParams {
  readonly values: unknown[];
  /** Adds a value and returns its placeholder (`$3`). */
  add(value: unknown): string;
}

export function createSqlParams(): SqlParams {
  const values: unknown[] = [];
  return {
    values,
    add(value) {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/** What a query reads from: a table/view, or the rows a function returns. */
export interface Scope {
  /** Name used in messages (`contacts`, `get_or_create_segment`). */
  readonly label: string;
  readonly columns: ReadonlyMap<string, ColumnInfo>;
  /** The relation whose foreign keys embedding may follow; null when there is none. */
  readonly relation: string | null;
}

export function scopeOf(relation: RelationInfo): Scope {
  return { label: relation.name, columns: relation.columns, relation: relation.name };
}

/** Shared state while one statement is compiled. */
export interface CompileContext {
  readonly cache: SchemaCache;
  readonly params: SqlParams;
  /** A fresh table alias (`_r1`, `_r2`, …). */
  nextAlias(): string;
}

export function createCompileContext(cache: SchemaCache, params: SqlParams = createSqlParams()): CompileContext {
  let counter = 0;
  return {
    cache,
    params,
    nextAlias() {
      counter += 1;
      return `_r${counter}`;
    },
  };
}

/** The table-qualified, quoted name of a relation of the exposed schema. */
export function qualified(cache: SchemaCache, name: string): string {
  return `${quoteIdent(cache.schema)}.${quoteIdent(name)}`;
}

function undefinedColumn(scope: Scope, column: string): PostgrestError {
  return new PostgrestError({ status: 400, code: '42703', message: `column ${scope.label}.${column} does not exist` });
}

/** Checks `column` against the scope and returns the quoted, alias-qualified reference. */
export function columnRef(scope: Scope, alias: string, column: string): string {
  if (column.includes('->')) throw parseError(`JSON paths are not supported by the demo backend (${column})`);
  if (!scope.columns.has(column)) throw undefinedColumn(scope, column);
  return `${alias}.${quoteIdent(column)}`;
}

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  integer: 'int4',
  int: 'int4',
  bigint: 'int8',
  smallint: 'int2',
  boolean: 'bool',
  real: 'float4',
  'double precision': 'float8',
  decimal: 'numeric',
  'character varying': 'varchar',
};

function castType(cache: SchemaCache, type: string): string {
  const name = TYPE_ALIASES[type.toLowerCase()] ?? type;
  if (!cache.typeNames.has(name)) {
    throw new PostgrestError({ status: 400, code: '42704', message: `type "${type}" does not exist` });
  }
  return quoteIdent(name);
}

interface Relationship {
  readonly target: RelationInfo;
  /** One-to-many (the target points at the parent): the embed is an array. */
  readonly many: boolean;
  /** Pairs [target column, parent column] that must be equal. */
  readonly pairs: readonly (readonly [string, string])[];
}

function findRelationship(cache: SchemaCache, parent: string, item: Extract<SelectItem, { kind: 'embed' }>): Relationship {
  const notFound = (): PostgrestError =>
    new PostgrestError({
      status: 400,
      code: 'PGRST200',
      message: `Could not find a relationship between '${parent}' and '${item.name}' in the schema cache`,
      hint: 'The demo backend embeds through a single foreign key between the two tables (no junction tables).',
    });
  const target = cache.relations.get(item.name);
  const candidates: Relationship[] = [];
  if (target !== undefined) {
    for (const fk of cache.foreignKeys) {
      const matchesHint = item.hint === null || fk.name === item.hint || (fk.columns.length === 1 && fk.columns[0] === item.hint);
      if (!matchesHint) continue;
      if (fk.table === parent && fk.refTable === target.name) {
        candidates.push({ target, many: false, pairs: fk.refColumns.map((c, i) => [c, fk.columns[i] ?? ''] as const) });
      }
      if (fk.table === target.name && fk.refTable === parent) {
        candidates.push({ target, many: true, pairs: fk.columns.map((c, i) => [c, fk.refColumns[i] ?? ''] as const) });
      }
    }
  } else {
    // Embedding through the foreign-key column of the parent: opportunities?select=contact_id(*)
    const fk = cache.foreignKeys.find((k) => k.table === parent && k.columns.length === 1 && k.columns[0] === item.name);
    const ref = fk === undefined ? undefined : cache.relations.get(fk.refTable);
    if (fk !== undefined && ref !== undefined) {
      candidates.push({ target: ref, many: false, pairs: fk.refColumns.map((c, i) => [c, fk.columns[i] ?? ''] as const) });
    }
  }
  if (candidates.length === 0) throw notFound();
  if (candidates.length > 1) {
    throw new PostgrestError({
      status: 300,
      code: 'PGRST201',
      message: `Could not embed because more than one relationship was found for '${parent}' and '${item.name}'`,
      hint: `Try changing '${item.name}' to '${item.name}!<foreign key name>'`,
    });
  }
  return candidates[0] as Relationship;
}

/** A compiled select list, and the conditions `!inner` embeds add to the parent's WHERE. */
export interface CompiledSelect {
  readonly list: string;
  readonly innerConditions: readonly string[];
}

/**
 * Compiles select items against a scope read under `alias`. Embedded resources become correlated
 * subqueries: `row_to_json` for to-one, `json_agg` for to-many, as PostgREST's own SQL does.
 */
export function compileSelect(items: readonly SelectItem[], scope: Scope, alias: string, ctx: CompileContext): CompiledSelect {
  const parts: string[] = [];
  const innerConditions: string[] = [];
  for (const item of items) {
    if (item.kind === 'star') {
      parts.push(`${alias}.*`);
    } else if (item.kind === 'column') {
      const ref = columnRef(scope, alias, item.name);
      const cast = item.cast === null ? '' : `::${castType(ctx.cache, item.cast)}`;
      parts.push(`${ref}${cast} AS ${quoteIdent(item.alias ?? item.name)}`);
    } else {
      if (scope.relation === null) {
        throw new PostgrestError({ status: 400, code: 'PGRST200', message: `Could not find a relationship for '${item.name}': ${scope.label} is not a table` });
      }
      const rel = findRelationship(ctx.cache, scope.relation, item);
      const childAlias = ctx.nextAlias();
      const child = compileSelect(item.items, scopeOf(rel.target), childAlias, ctx);
      const join = rel.pairs.map(([t, p]) => `${childAlias}.${quoteIdent(t)} = ${alias}.${quoteIdent(p)}`);
      const where = [...join, ...child.innerConditions].join(' AND ');
      const from = `${qualified(ctx.cache, rel.target.name)} AS ${childAlias}`;
      const rowAlias = `${childAlias}_row`;
      const expr = rel.many
        ? `(SELECT coalesce(json_agg(${rowAlias}), '[]'::json) FROM (SELECT ${child.list} FROM ${from} WHERE ${where}) AS ${rowAlias})`
        : `(SELECT row_to_json(${rowAlias}) FROM (SELECT ${child.list} FROM ${from} WHERE ${where} LIMIT 1) AS ${rowAlias})`;
      parts.push(`${expr} AS ${quoteIdent(item.alias ?? item.name)}`);
      if (item.inner) {
        const existsAlias = ctx.nextAlias();
        const existsJoin = rel.pairs.map(([t, p]) => `${existsAlias}.${quoteIdent(t)} = ${alias}.${quoteIdent(p)}`).join(' AND ');
        innerConditions.push(`EXISTS (SELECT 1 FROM ${qualified(ctx.cache, rel.target.name)} AS ${existsAlias} WHERE ${existsJoin})`);
      }
    }
  }
  return { list: parts.join(', '), innerConditions };
}

function compileFilter(condition: Extract<Condition, { kind: 'filter' }>, scope: Scope, alias: string, params: SqlParams): string {
  const column = columnRef(scope, alias, condition.column);
  const { operator, modifier, value } = condition;
  if (operator === 'is') {
    switch (value.toLowerCase()) {
      case 'null':
        return `${column} IS NULL`;
      case 'not_null':
        return `${column} IS NOT NULL`;
      case 'true':
        return `${column} IS TRUE`;
      case 'false':
        return `${column} IS FALSE`;
      case 'unknown':
        return `${column} IS UNKNOWN`;
      default:
        throw parseError(`failed to parse filter (is.${value})`, 'expected is.null, is.not_null, is.true, is.false or is.unknown');
    }
  }
  if (operator === 'in') {
    const items = parseListValue(value, '(', ')');
    return items.length === 0 ? 'FALSE' : `${column} IN (${items.map((v) => params.add(v)).join(', ')})`;
  }
  const tsQuery = FTS_OPERATORS[operator];
  if (tsQuery !== undefined) {
    const config = modifier === null ? '' : `${params.add(modifier)}::regconfig, `;
    const isVector = scope.columns.get(condition.column)?.udt === 'tsvector';
    const vector = isVector ? column : `to_tsvector(${config}${column})`;
    return `${vector} @@ ${tsQuery}(${config}${params.add(value)})`;
  }
  const sqlOperator = BINARY_OPERATORS[operator];
  if (sqlOperator === undefined) throw parseError(`unknown operator "${operator}"`);
  const pattern = (v: string): string => (operator === 'like' || operator === 'ilike' ? v.replaceAll('*', '%') : v);
  if (modifier === 'any' || modifier === 'all') {
    const items = parseListValue(value, '{', '}');
    if (items.length === 0) return modifier === 'any' ? 'FALSE' : 'TRUE';
    const joined = items.map((v) => `${column} ${sqlOperator} ${params.add(pattern(v))}`).join(modifier === 'any' ? ' OR ' : ' AND ');
    return `(${joined})`;
  }
  return `${column} ${sqlOperator} ${params.add(pattern(value))}`;
}

/** Compiles a filter or logic tree to a boolean SQL expression; values become bind parameters. */
export function compileCondition(condition: Condition, scope: Scope, alias: string, params: SqlParams): string {
  let sql: string;
  if (condition.kind === 'filter') sql = compileFilter(condition, scope, alias, params);
  else if (condition.children.length === 0) sql = condition.operator === 'and' ? 'TRUE' : 'FALSE';
  else {
    const joiner = condition.operator === 'and' ? ' AND ' : ' OR ';
    sql = `(${condition.children.map((c) => compileCondition(c, scope, alias, params)).join(joiner)})`;
  }
  return condition.negate ? `NOT (${sql})` : sql;
}

/** Compiles `order=` terms; empty string when there are none. */
export function compileOrder(terms: readonly OrderTerm[], scope: Scope, alias: string): string {
  if (terms.length === 0) return '';
  const parts = terms.map((t) => {
    const ref = columnRef(scope, alias, t.column);
    const direction = t.direction === null ? '' : ` ${t.direction.toUpperCase()}`;
    const nulls = t.nulls === null ? '' : ` NULLS ${t.nulls.toUpperCase()}`;
    return `${ref}${direction}${nulls}`;
  });
  return ` ORDER BY ${parts.join(', ')}`;
}
