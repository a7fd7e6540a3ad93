import type { PGlite } from '@electric-sql/pglite';

/** One column, as the catalog describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** SQL type as `format_type` prints it (`uuid`, `numeric(12,2)`, `timestamp with time zone`, `text[]`). */
  readonly type: string;
  /** Base type name from pg_type (`uuid`, `numeric`, `timestamptz`, `_text`). */
  readonly udt: string;
  readonly nullable: boolean;
  /** Default expression printed by the catalog (`gen_random_uuid()`), or null. */
  readonly defaultExpr: string | null;
}

/** A table, view or composite type of the exposed schema. */
export interface RelationInfo {
  readonly name: string;
  /** pg_class.relkind: r table, p partitioned, v view, m materialized view, f foreign, c composite type. */
  readonly kind: string;
  /** Columns by name, in catalog order. */
  readonly columns: ReadonlyMap<string, ColumnInfo>;
  readonly primaryKey: readonly string[];
}

export interface ForeignKeyInfo {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

export interface FunctionArgInfo {
  readonly name: string;
  readonly type: string;
  readonly hasDefault: boolean;
}

export interface FunctionInfo {
  readonly name: string;
  /** Input arguments (IN, INOUT, VARIADIC), in order. */
  readonly args: readonly FunctionArgInfo[];
  readonly returnsSet: boolean;
  /** void; scalar (a base, array, enum or domain type); composite (a row type or OUT/TABLE columns). */
  readonly returnKind: 'void' | 'scalar' | 'composite';
  /** For composite results: the relation whose row type is returned, when there is one. */
  readonly returnRelation: string | null;
  /** For composite results: the result columns. */
  readonly returnColumns: ReadonlyMap<string, ColumnInfo>;
  /** pg_proc.provolatile: i immutable, s stable, v volatile. */
  readonly volatility: string;
}

/** What the REST layer knows about the database: the stand-in for PostgREST's schema cache. */
export interface SchemaCache {
  readonly schema: string;
  /** Tables and views (exposed), by name. */
  readonly relations: ReadonlyMap<string, RelationInfo>;
  /** Composite types (not exposed as routes), by name. */
  readonly compositeTypes: ReadonlyMap<string, RelationInfo>;
  readonly foreignKeys: readonly ForeignKeyInfo[];
  /** Functions by name (overloads share a name). */
  readonly functions: ReadonlyMap<string, readonly FunctionInfo[]>;
  /** Type names a `::cast` in `select=` may use. */
  readonly typeNames: ReadonlySet<string>;
}

interface ColumnRow {
  rel: string;
  relkind: string;
  column: string;
  type: string;
  udt: string;
  nullable: boolean;
  default_expr: string | null;
}

interface ConstraintRow {
  name: string;
  kind: string;
  rel: string;
  columns: string[];
  ref_rel: string | null;
  ref_columns: string[] | null;
}

interface FunctionRow {
  name: string;
  returns_set: boolean;
  ret_type: string;
  ret_typtype: string;
  ret_rel: string | null;
  ret_is_void: boolean;
  ret_is_record: boolean;
  nargs: number;
  nargdefaults: number;
  arg_names: string[] | null;
  arg_modes: string[] | null;
  arg_types: string[];
  arg_udts: string[];
  volatility: string;
}

/**
 * Reads tables, columns, keys, foreign keys and functions of `schema` from pg_catalog,
 * so identifiers in requests can be checked against real names before they are quoted into SQL.
 *
 * @example
 * ```ts
 * const cache = await loadSchemaCache(db);
 * cache.relations.get('contacts')?.columns.has('email'); // true
 * ```
 */
export async function loadSchemaCache(db: PGlite, schema = 'public'): Promise<SchemaCache> {
  const columnRows = await db.query<ColumnRow>(
    `select c.relname as rel, c.relkind::text as relkind, a.attname::text as column,
            format_type(a.atttypid, a.atttypmod) as type, t.typname::text as udt,
            not a.attnotnull as nullable, pg_get_expr(d.adbin, d.adrelid) as default_expr
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       join pg_type t on t.oid = a.atttypid
       left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c')
      order by c.relname, a.attnum`,
    [schema],
  );
  const constraintRows = await db.query<ConstraintRow>(
    `select con.conname::text as name, con.contype::text as kind, c.relname::text as rel,
            array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
            fc.relname::text as ref_rel,
            case when con.contype = 'f' then
              array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
                      join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord)
            end as ref_columns
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_class fc on fc.oid = con.confrelid
       left join pg_namespace fn on fn.oid = fc.relnamespace
      where n.nspname = $1 and con.contype in ('p', 'f') and (con.contype <> 'f' or fn.nspname = $1)
      order by con.conname`,
    [schema],
  );
  const functionRows = await db.query<FunctionRow>(
    `select p.proname::text as name, p.proretset as returns_set,
            format_type(p.prorettype, null) as ret_type, rt.typtype::text as ret_typtype,
            rc.relname::text as ret_rel,
            p.prorettype = 'void'::regtype as ret_is_void, p.prorettype = 'record'::regtype as ret_is_record,
            p.pronargs::int as nargs, p.pronargdefaults::int as nargdefaults,
            p.proargnames as arg_names, p.proargmodes::text[] as arg_modes,
            array(select format_type(u.t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
                    with ordinality u(t, o) order by u.o) as arg_types,
            array(select ty.typname::text from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
                    with ordinality u(t, o) join pg_type ty on ty.oid = u.t order by u.o) as arg_udts,
            p.provolatile::text as volatility
       from pg_proc p
       join pg_namespace n on n.oid = p.pronamespace
       join pg_type rt on rt.oid = p.prorettype
       left join pg_class rc on rc.oid = rt.typrelid
      where n.nspname = $1 and p.prokind = 'f'`,
    [schema],
  );
  const typeRows = await db.query<{ name: string }>(
    `select t.typname::text as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname in ('pg_catalog', $1) and t.typname not like '\\_%' and t.typtype in ('b', 'd', 'e', 'r', 'm', 'c')`,
    [schema],
  );

  const columnsByRel = new Map<string, { kind: string; columns: Map<string, ColumnInfo> }>();
  for (const row of columnRows.rows) {
    let entry = columnsByRel.get(row.rel);
    if (entry === undefined) {
      entry = { kind: row.relkind, columns: new Map() };
      columnsByRel.set(row.rel, entry);
    }
    entry.columns.set(row.column, {
      name: row.column,
      type: row.type,
      udt: row.udt,
      nullable: row.nullable,
      defaultExpr: row.default_expr,
    });
  }
  const primaryKeys = new Map<string, string[]>();
  const foreignKeys: ForeignKeyInfo[] = [];
  for (const row of constraintRows.rows) {
    if (row.kind === 'p') primaryKeys.set(row.rel, row.columns);
    else if (row.ref_rel !== null && row.ref_columns !== null) {
      foreignKeys.push({ name: row.name, table: row.rel, columns: row.columns, refTable: row.ref_rel, refColumns: row.ref_columns });
    }
  }
  const relations = new Map<string, RelationInfo>();
  const compositeTypes = new Map<string, RelationInfo>();
  for (const [name, { kind, columns }] of columnsByRel) {
    const info: RelationInfo = { name, kind, columns, primaryKey: primaryKeys.get(name) ?? [] };
    (kind === 'c' ? compositeTypes : relations).set(name, info);
  }

  const functions = new Map<string, FunctionInfo[]>();
  for (const row of functionRows.rows) {
    const modes = row.arg_modes ?? row.arg_types.map(() => 'i');
    const names = row.arg_names ?? [];
    const inputs: { name: string; type: string }[] = [];
    const outputs = new Map<string, ColumnInfo>();
    row.arg_types.forEach((type, i) => {
      const mode = modes[i] ?? 'i';
      const name = names[i] ?? '';
      if (mode === 'i' || mode === 'b' || mode === 'v') inputs.push({ name, type });
      if (mode === 'o' || mode === 'b' || mode === 't') {
        outputs.set(name, { name, type, udt: row.arg_udts[i] ?? type, nullable: true, defaultExpr: null });
      }
    });
    // Functions with unnamed inputs cannot be called with named JSON arguments; skip them (as PostgREST does).
    if (inputs.some((a) => a.name === '')) continue;
    const firstDefault = inputs.length - row.nargdefaults;
    const args = inputs.map((a, i) => ({ ...a, hasDefault: i >= firstDefault }));
    let returnKind: FunctionInfo['returnKind'] = 'scalar';
    let returnColumns: ReadonlyMap<string, ColumnInfo> = new Map();
    if (row.ret_is_void) returnKind = 'void';
    else if (row.ret_is_record && outputs.size > 0) {
      returnKind = 'composite';
      returnColumns = outputs;
    } else if (row.ret_typtype === 'c' && row.ret_rel !== null) {
      returnKind = 'composite';
      returnColumns = columnsByRel.get(row.ret_rel)?.columns ?? new Map();
    } else if (row.ret_is_record) {
      continue; // returns an anonymous record: needs a column definition list, not callable
    }
    const info: FunctionInfo = {
      name: row.name,
      args,
      returnsSet: row.returns_set,
      returnKind,
      returnRelation: returnKind === 'composite' && !row.ret_is_record ? row.ret_rel : null,
      returnColumns,
      volatility: row.volatility,
    };
    const list = functions.get(row.name) ?? [];
    list.push(info);
    functions.set(row.name, list);
  }

  const typeNames = new Set(typeRows.rows.map((r) => r.name));
  return { schema, relations, compositeTypes, foreignKeys, functions, typeNames };
}
