import type { PGlite } from '@electric-sql/pglite';
import {
  compileCondition,
  compileOrder,
  compileSelect,
  createCompileContext,
  qualified,
  quoteIdent,
  scopeOf,
  type CompileContext,
  type Scope,
} from './compileSql.js';
import { fromDatabaseError } from './fromDatabaseError.js';
import type { FunctionInfo, RelationInfo, SchemaCache } from './loadSchemaCache.js';
import { buildOpenApi } from './buildOpenApi.js';
import { parseFilter, parseLogicTree, type Condition } from './parseConditions.js';
import { checkProfile, parseAccept, parsePreferences, parseRangeHeader, type Preferences, type Representation } from './parseHeaders.js';
import { parseOrder } from './parseOrder.js';
import { parseSelect } from './parseSelect.js';
import { PostgrestError, isPostgrestError, parseError, unsupported } from './PostgrestError.js';
import { splitTopLevel, unquote } from './syntax.js';

/** A request to the REST API, with the `/rest/v1` prefix already removed from `path`. */
export interface RestRequest {
  readonly method: string;
  /** `/contacts`, `/rpc/get_or_create_segment`, `/` */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Request headers with lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  /** Base URL of the REST API (for the OpenAPI document). */
  readonly baseUrl: string;
}

/** What to answer. */
export interface RestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** `null` for no body (204, HEAD, return=minimal). */
  readonly body: string | null;
}

/** Anything PGlite-like that runs a parameterised statement (the database or a transaction). */
interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const OBJECT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'on_conflict', 'columns']);
const LOGIC_KEYS = new Set(['or', 'and', 'not.or', 'not.and']);
const MAIN = '_r0';

/**
 * Answers one request of the PostgREST subset (see demo/server/README.md) from the database.
 * Errors PostgREST would answer come back as responses in its JSON shape; anything else is thrown.
 *
 * @example
 * ```ts
 * const response = await handleRest(db, cache, {
 *   method: 'GET', path: '/contacts', query: new URLSearchParams('select=id,email&limit=5'),
 *   headers: {}, body: '', baseUrl: 'http://127.0.0.1:54321/rest/v1',
 * });
 * ```
 */
export async function handleRest(db: PGlite, cache: SchemaCache, request: RestRequest): Promise<RestResponse> {
  try {
    return await route(db, cache, request);
  } catch (error) {
    const known = isPostgrestError(error) ? error : fromDatabaseError(error);
    if (known === undefined) throw error;
    return errorResponse(known);
  }
}

/** The JSON response for a {@link PostgrestError}. */
export function errorResponse(error: PostgrestError, headers: Record<string, string> = {}): RestResponse {
  return { status: error.status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(error.toBody()) };
}

async function route(db: PGlite, cache: SchemaCache, request: RestRequest): Promise<RestResponse> {
  const segments = request.path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  const method = request.method.toUpperCase();
  if (segments.length === 0) {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method);
    const doc = JSON.stringify(buildOpenApi(cache, request.baseUrl));
    return { status: 200, headers: { 'Content-Type': 'application/openapi+json; charset=utf-8' }, body: method === 'HEAD' ? null : doc };
  }
  const readProfile = method === 'GET' || method === 'HEAD';
  checkProfile(readProfile ? request.headers['accept-profile'] : request.headers['content-profile'], cache.schema);
  if (segments.length === 2 && segments[0] === 'rpc') return callFunction(db, cache, request, segments[1] ?? '');
  if (segments.length !== 1) {
    throw new PostgrestError({ status: 404, code: 'PGRST125', message: `Invalid path specified in request URL: ${request.path}` });
  }
  const name = segments[0] ?? '';
  const relation = cache.relations.get(name);
  if (relation === undefined) {
    throw new PostgrestError({
      status: 404,
      code: 'PGRST205',
      message: `Could not find the table '${cache.schema}.${name}' in the schema cache`,
    });
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return read(db, cache, relation, request, method === 'HEAD');
    case 'POST':
      return insert(db, cache, relation, request);
    case 'PATCH':
      return update(db, cache, relation, request);
    case 'DELETE':
      return remove(db, cache, relation, request);
    default:
      throw methodNotAllowed(method);
  }
}

function methodNotAllowed(method: string): PostgrestError {
  return new PostgrestError({
    status: 405,
    code: 'PGRST117',
    message: `Unsupported HTTP method: ${method}`,
    hint: method === 'PUT' ? 'The demo backend does not implement PUT; use POST with Prefer: resolution=merge-duplicates.' : null,
  });
}

// ---------------------------------------------------------------------------------------------
// Request pieces

/** Filters and logic trees from the query string (keys not reserved and not in `skip`). */
function readConditions(query: URLSearchParams, skip: ReadonlySet<string> = new Set()): Condition[] {
  const conditions: Condition[] = [];
  for (const [rawKey, value] of query) {
    if (RESERVED.has(rawKey) || skip.has(rawKey)) continue;
    // qs (used by ra-data-postgrest) writes repeated filters as key[0]=…&key[1]=…: read them as repeated keys.
    const key = rawKey.replace(/(\[[^\]]*\])+$/, '');
    if (LOGIC_KEYS.has(key)) conditions.push(parseLogicTree(key, value));
    else if (key.includes('.')) throw unsupported(`filters, ordering or limits on embedded resources (${rawKey})`);
    else conditions.push(parseFilter(key, value));
  }
  return conditions;
}

function readInt(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null || raw === '') return null;
  if (!/^\d+$/.test(raw)) throw parseError(`"${name}" must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** Rows to skip and to return, from `offset`/`limit` and the `Range` header (intersected). */
function readRange(request: RestRequest): { offset: number; limit: number | null } {
  let from = readInt(request.query, 'offset') ?? 0;
  const limit = readInt(request.query, 'limit');
  let to: number | null = limit === null ? null : from + limit - 1;
  const header = parseRangeHeader(request.headers.range);
  if (header !== null) {
    from = Math.max(from, header.from);
    if (header.to !== null) to = to === null ? header.to : Math.min(to, header.to);
  }
  return { offset: from, limit: to === null ? null : Math.max(0, to - from + 1) };
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}

function parseBody(request: RestRequest): unknown {
  const type = request.headers['content-type'];
  if (type !== undefined && !/json/i.test(type)) {
    throw new PostgrestError({ status: 415, code: 'PGRST107', message: `Content-Type not acceptable: ${type}`, hint: 'Send application/json.' });
  }
  try {
    return JSON.parse(request.body);
  } catch {
    throw new PostgrestError({ status: 400, code: 'PGRST102', message: 'Empty or invalid json' });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingColumn(relation: RelationInfo, column: string): PostgrestError {
  return new PostgrestError({
    status: 400,
    code: 'PGRST204',
    message: `Could not find the '${column}' column of '${relation.name}' in the schema cache`,
  });
}

/** Columns named by `columns=` (`"a","b"` or `a,b`), or null when absent. */
function readColumnsParam(query: URLSearchParams): string[] | null {
  const raw = query.get('columns');
  if (raw === null) return null;
  return splitTopLevel(raw)
    .map((c) => unquote(c.trim()))
    .filter((c) => c !== '');
}

function contentRange(offset: number, count: number, total: number | null): string {
  const totalText = total === null ? '*' : String(total);
  return count === 0 ? `*/${totalText}` : `${offset}-${offset + count - 1}/${totalText}`;
}

function singularError(count: number): PostgrestError {
  return new PostgrestError({
    status: 406,
    code: 'PGRST116',
    message: 'Cannot coerce the result to a single JSON object',
    details: `The result contains ${count} rows`,
  });
}

function baseHeaders(representation: Representation, prefs: Preferences): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': representation.singular ? OBJECT_TYPE : JSON_TYPE };
  if (prefs.applied.length > 0) headers['Preference-Applied'] = prefs.applied.join(', ');
  return headers;
}

interface Shaped {
  pageCount: number;
  body: string;
  first: string | null;
  total: number | null;
}

/**
 * Runs `WITH <ctes>, page AS (<page>)` and returns the rows of `page` as a JSON array and first object,
 * with their number and, when `totalSql` is given, the total count.
 */
async function runShaped(
  q: Queryable,
  options: { ctes: string; pageSql: string; totalSql: string | null; params: unknown[]; stripNulls: boolean },
): Promise<Shaped> {
  const strip = (expr: string): string => (options.stripNulls ? `json_strip_nulls(${expr})` : expr);
  const total = options.totalSql === null ? 'NULL::int' : `(${options.totalSql})::int`;
  const sql =
    `WITH ${options.ctes}${options.ctes === '' ? '' : ', '}page AS (${options.pageSql}) ` +
    `SELECT (SELECT count(*) FROM page)::int AS page_count, ` +
    `${strip(`coalesce((SELECT json_agg(page) FROM page), '[]'::json)`)}::text AS body, ` +
    `${strip('(SELECT row_to_json(page) FROM page LIMIT 1)')}::text AS first, ` +
    `${total} AS total`;
  const result = await q.query<{ page_count: number; body: string; first: string | null; total: number | null }>(sql, options.params);
  const row = result.rows[0];
  if (row === undefined) throw new Error('shaped query returned no row');
  return { pageCount: row.page_count, body: row.body, first: row.first, total: row.total };
}

/** PostgREST's status for a read: 416 past the end, 206 for a partial page of a counted result, else 200. */
function rangeStatus(offset: number, pageCount: number, total: number | null): number {
  if (total === null) return 200;
  if (offset > total) return 416;
  return pageCount < total ? 206 : 200;
}

// ---------------------------------------------------------------------------------------------
// Tables

async function read(db: PGlite, cache: SchemaCache, relation: RelationInfo, request: RestRequest, head: boolean): Promise<RestResponse> {
  const representation = parseAccept(request.headers.accept);
  const prefs = parsePreferences(request.headers.prefer);
  const scope = scopeOf(relation);
  const ctx = createCompileContext(cache);
  const select = compileSelect(parseSelect(request.query.get('select') ?? '*'), scope, MAIN, ctx);
  const conditions = readConditions(request.query).map((c) => compileCondition(c, scope, MAIN, ctx.params));
  const where = whereClause([...conditions, ...select.innerConditions]);
  const order = compileOrder(parseOrder(request.query.get('order') ?? ''), scope, MAIN);
  const { offset, limit } = readRange(request);
  const limitSql = limit === null ? '' : ` LIMIT ${ctx.params.add(String(limit))}`;
  const offsetSql = offset === 0 ? '' : ` OFFSET ${ctx.params.add(String(offset))}`;
  const from = `${qualified(cache, relation.name)} AS ${MAIN}`;
  const counted = prefs.count !== null;
  const shaped = await runShaped(db, {
    ctes: '',
    pageSql: `SELECT ${select.list} FROM ${from}${where}${order}${limitSql}${offsetSql}`,
    totalSql: counted ? `SELECT count(*) FROM ${from}${where}` : null,
    params: ctx.params.values,
    stripNulls: representation.stripNulls,
  });
  return respondWithRows(shaped, { representation, prefs, offset, head, status: null });
}

function respondWithRows(
  shaped: Shaped,
  options: { representation: Representation; prefs: Preferences; offset: number; head: boolean; status: number | null },
): RestResponse {
  const { representation, prefs, offset, head } = options;
  const headers = baseHeaders(representation, prefs);
  headers['Content-Range'] = contentRange(offset, shaped.pageCount, shaped.total);
  const status = options.status ?? rangeStatus(offset, shaped.pageCount, shaped.total);
  if (status === 416) {
    return errorResponse(
      new PostgrestError({
        status: 416,
        code: 'PGRST103',
        message: 'Requested range not satisfiable',
        details: `An offset of ${offset} was requested, but there are only ${shaped.total ?? 0} rows.`,
      }),
      { 'Content-Range': `*/${shaped.total ?? 0}` },
    );
  }
  if (representation.singular && shaped.pageCount !== 1) return errorResponse(singularError(shaped.pageCount));
  const body = representation.singular ? shaped.first : shaped.body;
  return { status, headers, body: head ? null : body };
}

/** Runs a write in a transaction; a singular request that does not touch exactly one row is rolled back. */
async function runMutation(
  db: PGlite,
  options: { mutation: string; select: { list: string; innerConditions: readonly string[] }; params: unknown[]; representation: Representation },
): Promise<Shaped> {
  return db.transaction(async (tx) => {
    const shaped = await runShaped(tx, {
      ctes: `pgrst_source AS (${options.mutation})`,
      pageSql: `SELECT ${options.select.list} FROM pgrst_source AS ${MAIN}${whereClause(options.select.innerConditions)}`,
      totalSql: 'SELECT count(*) FROM pgrst_source',
      params: options.params,
      stripNulls: options.representation.stripNulls,
    });
    if (options.representation.singular && shaped.total !== 1) throw singularError(shaped.total ?? 0);
    return shaped;
  });
}

function mutationResponse(shaped: Shaped, representation: Representation, prefs: Preferences, createdStatus: boolean): RestResponse {
  const headers = baseHeaders(representation, prefs);
  headers['Content-Range'] = `*/${prefs.count === null ? '*' : String(shaped.total ?? 0)}`;
  if (prefs.return !== 'representation') {
    delete headers['Content-Type'];
    return { status: createdStatus ? 201 : 204, headers, body: null };
  }
  return { status: createdStatus ? 201 : 200, headers, body: representation.singular ? shaped.first : shaped.body };
}

function compileReturning(relation: RelationInfo, request: RestRequest, ctx: CompileContext) {
  return compileSelect(parseSelect(request.query.get('select') ?? '*'), scopeOf(relation), MAIN, ctx);
}

async function insert(db: PGlite, cache: SchemaCache, relation: RelationInfo, request: RestRequest): Promise<RestResponse> {
  const representation = parseAccept(request.headers.accept);
  const prefs = parsePreferences(request.headers.prefer);
  const body = parseBody(request);
  const rows = Array.isArray(body) ? body : [body];
  if (!rows.every(isPlainObject)) {
    throw new PostgrestError({ status: 400, code: 'PGRST102', message: 'Invalid body: expected a JSON object or an array of objects' });
  }
  const first = rows[0] ?? {};
  let columns = readColumnsParam(request.query);
  if (columns === null) {
    columns = Object.keys(first);
    const expected = [...columns].sort().join('\u0000');
    if (rows.some((r) => Object.keys(r).sort().join('\u0000') !== expected)) {
      throw new PostgrestError({ status: 400, code: 'PGRST102', message: 'All object keys must match' });
    }
  }
  for (const column of columns) if (!relation.columns.has(column)) throw missingColumn(relation, column);

  const ctx = createCompileContext(cache);
  const table = qualified(cache, relation.name);
  const rowsParam = ctx.params.add(JSON.stringify(rows));
  const source = `jsonb_array_elements(${rowsParam}::jsonb) WITH ORDINALITY AS _j(elem, ord)`;
  let mutation: string;
  if (columns.length === 0) {
    mutation = `INSERT INTO ${table} AS ${MAIN} SELECT FROM ${source} ORDER BY _j.ord`;
  } else {
    const values = columns.map((c) => {
      if (prefs.missing !== 'default') return `_p.${quoteIdent(c)}`;
      // The default expression comes from the catalog (pg_get_expr), never from the request.
      const fallback = relation.columns.get(c)?.defaultExpr ?? 'NULL';
      return `CASE WHEN _j.elem ? ${ctx.params.add(c)} THEN _p.${quoteIdent(c)} ELSE ${fallback} END`;
    });
    mutation =
      `INSERT INTO ${table} AS ${MAIN} (${columns.map(quoteIdent).join(', ')}) ` +
      `SELECT ${values.join(', ')} FROM ${source} CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, _j.elem) AS _p ORDER BY _j.ord`;
  }
  if (prefs.resolution !== null) {
    const onConflict = request.query.get('on_conflict');
    const target = onConflict === null ? [...relation.primaryKey] : splitTopLevel(onConflict).map((c) => unquote(c.trim()));
    if (target.length === 0) throw parseError(`on_conflict is required: table ${relation.name} has no primary key`);
    for (const column of target) if (!relation.columns.has(column)) throw missingColumn(relation, column);
    const targetSql = target.map(quoteIdent).join(', ');
    const updates = columns.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`);
    mutation +=
      prefs.resolution === 'ignore-duplicates' || updates.length === 0
        ? ` ON CONFLICT (${targetSql}) DO NOTHING`
        : ` ON CONFLICT (${targetSql}) DO UPDATE SET ${updates.join(', ')}`;
  }
  mutation += ` RETURNING ${MAIN}.*`;
  const select = compileReturning(relation, request, ctx);
  const shaped = await runMutation(db, { mutation, select, params: ctx.params.values, representation });
  return mutationResponse(shaped, representation, prefs, true);
}

function requireFilters(conditions: readonly string[], verb: 'UPDATE' | 'DELETE'): void {
  // Supabase runs PostgREST with pg-safeupdate: a write without a WHERE clause is refused.
  if (conditions.length === 0) {
    throw new PostgrestError({ status: 400, code: '21000', message: `${verb} requires a WHERE clause`, hint: 'Add a filter, e.g. ?id=eq.1' });
  }
}

function rejectLimits(request: RestRequest): void {
  if (request.query.has('limit') || request.query.has('offset')) throw unsupported('limit/offset on PATCH or DELETE');
}

async function update(db: PGlite, cache: SchemaCache, relation: RelationInfo, request: RestRequest): Promise<RestResponse> {
  const representation = parseAccept(request.headers.accept);
  const prefs = parsePreferences(request.headers.prefer);
  rejectLimits(request);
  const body = parseBody(request);
  if (!isPlainObject(body)) throw new PostgrestError({ status: 400, code: 'PGRST102', message: 'Invalid body: PATCH expects a JSON object' });
  const columns = readColumnsParam(request.query) ?? Object.keys(body);
  for (const column of columns) if (!relation.columns.has(column)) throw missingColumn(relation, column);

  const ctx = createCompileContext(cache);
  const scope = scopeOf(relation);
  const table = qualified(cache, relation.name);
  const bodyParam = ctx.params.add(JSON.stringify(body));
  const conditions = readConditions(request.query).map((c) => compileCondition(c, scope, MAIN, ctx.params));
  requireFilters(conditions, 'UPDATE');
  const select = compileReturning(relation, request, ctx);
  // An empty payload updates nothing: select the matching rows without touching them (as PostgREST does).
  const mutation =
    columns.length === 0
      ? `SELECT ${MAIN}.* FROM ${table} AS ${MAIN}${whereClause(conditions)} LIMIT 0`
      : `UPDATE ${table} AS ${MAIN} SET ${columns.map((c) => `${quoteIdent(c)} = _p.${quoteIdent(c)}`).join(', ')} ` +
        `FROM jsonb_populate_record(NULL::${table}, ${bodyParam}::jsonb) AS _p${whereClause(conditions)} RETURNING ${MAIN}.*`;
  const shaped = await runMutation(db, { mutation, select, params: ctx.params.values, representation });
  return mutationResponse(shaped, representation, prefs, false);
}

async function remove(db: PGlite, cache: SchemaCache, relation: RelationInfo, request: RestRequest): Promise<RestResponse> {
  const representation = parseAccept(request.headers.accept);
  const prefs = parsePreferences(request.headers.prefer);
  rejectLimits(request);
  const ctx = createCompileContext(cache);
  const scope = scopeOf(relation);
  const conditions = readConditions(request.query).map((c) => compileCondition(c, scope, MAIN, ctx.params));
  requireFilters(conditions, 'DELETE');
  const select = compileReturning(relation, request, ctx);
  const mutation = `DELETE FROM ${qualified(cache, relation.name)} AS ${MAIN}${whereClause(conditions)} RETURNING ${MAIN}.*`;
  const shaped = await runMutation(db, { mutation, select, params: ctx.params.values, representation });
  return mutationResponse(shaped, representation, prefs, false);
}

// ---------------------------------------------------------------------------------------------
// Functions

function pickFunction(cache: SchemaCache, name: string, argNames: readonly string[]): FunctionInfo {
  const candidates = (cache.functions.get(name) ?? []).filter((fn) => {
    const names = new Set(fn.args.map((a) => a.name));
    return argNames.every((a) => names.has(a)) && fn.args.every((a) => a.hasDefault || argNames.includes(a.name));
  });
  const signature = [...argNames].sort().join(', ');
  if (candidates.length === 0) {
    throw new PostgrestError({
      status: 404,
      code: 'PGRST202',
      message: `Could not find the function ${cache.schema}.${name}(${signature}) in the schema cache`,
      details:
        argNames.length === 0
          ? `Searched for the function ${cache.schema}.${name} without parameters, but no matches were found in the schema cache.`
          : `Searched for the function ${cache.schema}.${name} with parameters ${signature}, but no matches were found in the schema cache.`,
    });
  }
  if (candidates.length > 1) {
    throw new PostgrestError({
      status: 300,
      code: 'PGRST203',
      message: `Could not choose the best candidate function between overloads of ${cache.schema}.${name}`,
    });
  }
  return candidates[0] as FunctionInfo;
}

async function callFunction(db: PGlite, cache: SchemaCache, request: RestRequest, name: string): Promise<RestResponse> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') throw methodNotAllowed(method);
  const readOnly = method !== 'POST';
  const representation = parseAccept(request.headers.accept);
  const prefs = parsePreferences(request.headers.prefer);

  let args: Record<string, unknown>;
  if (readOnly) {
    // On GET, query parameters named like an argument of the function are arguments; the rest are filters.
    const known = new Set((cache.functions.get(name) ?? []).flatMap((fn) => fn.args.map((a) => a.name)));
    args = {};
    for (const [key, value] of request.query) if (known.has(key) && !RESERVED.has(key)) args[key] = value;
  } else {
    const body = request.body.trim() === '' ? {} : parseBody(request);
    if (!isPlainObject(body)) throw unsupported('calling a function with a body that is not a JSON object');
    args = body;
  }
  const fn = pickFunction(cache, name, Object.keys(args));

  const ctx = createCompileContext(cache);
  const provided = fn.args.filter((a) => a.name in args);
  const call =
    `${qualified(cache, fn.name)}(` +
    provided.map((a) => `${quoteIdent(a.name)} := _a.${quoteIdent(a.name)}`).join(', ') +
    ')';
  // Argument types come from the catalog (format_type); the values travel as one JSON parameter.
  const argsSource =
    provided.length === 0
      ? ''
      : `jsonb_to_record(${ctx.params.add(JSON.stringify(args))}::jsonb) AS _a(${provided.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(', ')}) CROSS JOIN LATERAL `;
  const filterSkip = new Set(Object.keys(args));

  return db.transaction(async (tx) => {
    if (readOnly) await tx.query('SET TRANSACTION READ ONLY');
    if (fn.returnKind !== 'composite') {
      if (readConditions(request.query, filterSkip).length > 0 || request.query.has('select') || request.query.has('order')) {
        throw unsupported(`select, filters or order on a function that returns ${fn.returnKind === 'void' ? 'void' : 'a scalar'}`);
      }
      const fromArgs = provided.length === 0 ? '' : ` FROM ${argsSource.replace(/ CROSS JOIN LATERAL $/, '')}`;
      if (fn.returnKind === 'void') {
        await tx.query(`SELECT ${call}${fromArgs}`, ctx.params.values);
        return { status: 204, headers: prefHeaders(prefs), body: null };
      }
      const sql = fn.returnsSet
        ? `SELECT coalesce(json_agg(_v.v), '[]'::json)::text AS body FROM ${argsSource}${call} AS _v(v)`
        : `SELECT to_json(${call})::text AS body${fromArgs}`;
      const result = await tx.query<{ body: string | null }>(sql, ctx.params.values);
      const body = result.rows[0]?.body ?? 'null';
      return { status: 200, headers: { ...baseHeaders({ singular: false, stripNulls: false }, prefs) }, body: method === 'HEAD' ? null : body };
    }

    const scope: Scope = { label: fn.name, columns: fn.returnColumns, relation: fn.returnRelation };
    const select = compileSelect(parseSelect(request.query.get('select') ?? '*'), scope, MAIN, ctx);
    const conditions = readConditions(request.query, filterSkip).map((c) => compileCondition(c, scope, MAIN, ctx.params));
    const where = whereClause([...conditions, ...select.innerConditions]);
    const order = compileOrder(parseOrder(request.query.get('order') ?? ''), scope, MAIN);
    const { offset, limit } = readRange(request);
    const limitSql = limit === null ? '' : ` LIMIT ${ctx.params.add(String(limit))}`;
    const offsetSql = offset === 0 ? '' : ` OFFSET ${ctx.params.add(String(offset))}`;
    const shaped = await runShaped(tx, {
      ctes: `src AS MATERIALIZED (SELECT ${MAIN}.* FROM ${argsSource}${call} AS ${MAIN})`,
      pageSql: `SELECT ${select.list} FROM src AS ${MAIN}${where}${order}${limitSql}${offsetSql}`,
      totalSql: prefs.count === null ? null : `SELECT count(*) FROM src AS ${MAIN}${where}`,
      params: ctx.params.values,
      stripNulls: representation.stripNulls,
    });
    if (!fn.returnsSet) {
      // A function returning one row answers an object, not an array (as PostgREST does).
      const headers = baseHeaders({ singular: false, stripNulls: representation.stripNulls }, prefs);
      return { status: 200, headers, body: method === 'HEAD' ? null : (shaped.first ?? 'null') };
    }
    const response = respondWithRows(shaped, { representation, prefs, offset, head: method === 'HEAD', status: null });
    if (representation.singular && response.status === 406) throw singularError(shaped.pageCount);
    return response;
  });
}

function prefHeaders(prefs: Preferences): Record<string, string> {
  return prefs.applied.length > 0 ? { 'Preference-Applied': prefs.applied.join(', ') } : {};
}

