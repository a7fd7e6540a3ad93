import type { ColumnInfo, SchemaCache } from './loadSchemaCache.js';

function jsonType(column: ColumnInfo): Record<string, unknown> {
  if (column.udt.startsWith('_')) return { type: 'array', items: { type: 'string' } };
  if (column.udt === 'json' || column.udt === 'jsonb') return {};
  if (['int2', 'int4', 'int8'].includes(column.udt)) return { type: 'integer' };
  if (['numeric', 'float4', 'float8'].includes(column.udt)) return { type: 'number' };
  if (column.udt === 'bool') return { type: 'boolean' };
  return { type: 'string' };
}

/**
 * A small Swagger 2.0 document of the exposed tables and functions, in the shape PostgREST serves at
 * its root (definitions carry `format` = SQL type and primary/foreign-key notes), which is what
 * ra-supabase's `getSchema` and guessers read.
 *
 * @example
 * ```ts
 * const doc = buildOpenApi(cache, 'http://127.0.0.1:54321/rest/v1');
 * doc.definitions; // { contacts: { type: 'object', properties: { … } }, … }
 * ```
 */
export function buildOpenApi(cache: SchemaCache, baseUrl: string): Record<string, unknown> {
  const url = new URL(baseUrl);
  const definitions: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {
    '/': { get: { summary: 'OpenAPI description (this document)', responses: { 200: { description: 'OK' } } } },
  };
  for (const relation of cache.relations.values()) {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const column of relation.columns.values()) {
      const notes: string[] = [];
      if (relation.primaryKey.includes(column.name)) notes.push('Note:\nThis is a Primary Key.<pk/>');
      for (const fk of cache.foreignKeys) {
        const index = fk.table === relation.name ? fk.columns.indexOf(column.name) : -1;
        if (index >= 0) {
          const refColumn = fk.refColumns[index] ?? '';
          notes.push(`Note:\nThis is a Foreign Key to \`${fk.refTable}.${refColumn}\`.<fk table='${fk.refTable}' column='${refColumn}'/>`);
        }
      }
      properties[column.name] = {
        ...jsonType(column),
        format: column.type,
        ...(notes.length > 0 ? { description: notes.join('\n') } : {}),
      };
      if (!column.nullable && column.defaultExpr === null) required.push(column.name);
    }
    definitions[relation.name] = { type: 'object', required, properties };
    const ref = { $ref: `#/definitions/${relation.name}` };
    paths[`/${relation.name}`] = {
      get: { tags: [relation.name], responses: { 200: { description: 'OK', schema: { type: 'array', items: ref } }, 206: { description: 'Partial Content' } } },
      post: { tags: [relation.name], responses: { 201: { description: 'Created' } } },
      patch: { tags: [relation.name], responses: { 204: { description: 'No Content' } } },
      delete: { tags: [relation.name], responses: { 204: { description: 'No Content' } } },
    };
  }
  for (const [name, overloads] of cache.functions) {
    const fn = overloads[0];
    if (fn === undefined) continue;
    const properties = Object.fromEntries(fn.args.map((a) => [a.name, { format: a.type }]));
    const required = fn.args.filter((a) => !a.hasDefault).map((a) => a.name);
    paths[`/rpc/${name}`] = {
      post: {
        tags: ['(rpc) ' + name],
        parameters: [{ in: 'body', name: 'args', required: true, schema: { type: 'object', required, properties } }],
        responses: { 200: { description: 'OK' } },
      },
    };
  }
  return {
    swagger: '2.0',
    info: {
      title: 'Demo backend (PostgREST subset)',
      description: 'Embedded stand-in for Supabase/PostgREST; see demo/server/README.md',
      version: '1',
    },
    host: url.host,
    basePath: url.pathname,
    schemes: [url.protocol.replace(':', '')],
    consumes: ['application/json', 'application/vnd.pgrst.object+json'],
    produces: ['application/json', 'application/vnd.pgrst.object+json'],
    paths,
    definitions,
  };
}
