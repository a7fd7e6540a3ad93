import { PGlite } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientKeyOf } from './clientKeyOf.js';
import { createFaults, type Faults, type FaultSettings } from './createFaults.js';
import { handleControl } from './handleControl.js';
import { qualified } from './postgrest/compileSql.js';
import { handleRest } from './postgrest/handleRest.js';
import { loadSchemaCache, type SchemaCache } from './postgrest/loadSchemaCache.js';
import { createRateLimiter, parseRateLimitSettings, type RateLimitSettings } from './rateLimiter.js';

/** Options of {@link createBackend}. */
export interface BackendOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** PGlite data directory; omitted = in memory. The schema is applied idempotently on every start. */
  readonly dataDir?: string;
  /**
   * Directory for an image (~40 MB) of the freshly initialised in-memory database (schema applied, not seeded),
   * named after the schema and the PGlite version. The first start writes it; later starts load it instead of
   * running initdb, several times faster. Ignored with `dataDir`. Default: `<os tmpdir>/xstate-circuit-breaker-demo-backend`;
   * `false`: no image.
   */
  readonly snapshotDir?: string | false;
  /** Edge rate limiter (one token bucket per client); `false` (default) lets everything through. */
  readonly rateLimit?: RateLimitSettings | false;
  /** Insert the demo rows (demo/server/seed.sql) when the tables are empty, and again on reset. Default false. */
  readonly seed?: boolean;
  /** Clock in ms for the rate limiter. Default `() => Date.now()`. */
  readonly now?: () => number;
  /** Fault switches to start with. Default none. */
  readonly faults?: Partial<FaultSettings>;
  /** Random source in [0, 1) for `faults.status503Rate`. Default `Math.random`. */
  readonly random?: () => number;
  /** Receives unexpected errors (answered as 500). Default: `console.error`. */
  readonly onError?: (error: unknown) => void;
}

/** Request counters (REST routes only; control routes and CORS preflights are not counted). */
export interface BackendStats {
  readonly requests: number;
  readonly rateLimited: number;
  /** Responses by HTTP status, e.g. `{ "200": 12, "429": 3 }`. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests by path, e.g. `{ "/rest/v1/contacts": 7 }` (control routes and CORS preflights are not counted). */
  readonly byPath: Readonly<Record<string, number>>;
}

/** A running demo backend: {@link createBackend}. */
export interface Backend {
  /** Base URL, as given to `createClient(url, key)` and `supabaseDataProvider({ instanceUrl })`. */
  readonly url: string;
  /** `${url}/rest/v1` */
  readonly restUrl: string;
  readonly port: number;
  /** The PGlite instance (real PostgreSQL). */
  readonly db: PGlite;
  /** Live fault switches; assignments are validated and apply to the next request. */
  readonly faults: Faults;
  /** Current rate-limit settings (`false` = off). Assigning validates and refills every bucket. */
  rateLimit: RateLimitSettings | false;
  /** A snapshot of the counters. */
  readonly stats: BackendStats;
  /** Truncates every table (seeding again when `seed`), zeroes the stats and refills the buckets. */
  reset(): Promise<void>;
  /** Stops accepting requests, waits for those in flight, closes the database. */
  close(): Promise<void>;
}

/** Settings the control route falls back to when the limiter is turned on from `false`. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = Object.freeze({
  ratePerSecond: 20,
  burst: 10,
  headers: 'ietf',
  retryAfter: 'integer',
});

const ALLOWED_HEADERS = [
  'apikey',
  'authorization',
  'content-type',
  'prefer',
  'range',
  'range-unit',
  'accept',
  'accept-profile',
  'content-profile',
  'x-client-info',
  'x-client-id',
];
const EXPOSED_HEADERS = [
  'Content-Range',
  'Content-Location',
  'Location',
  'Preference-Applied',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
].join(', ');
const MAX_BODY_BYTES = 1024 * 1024;
const defaultSnapshotDir = (): string => join(tmpdir(), 'xstate-circuit-breaker-demo-backend');
const JSON_TYPE = 'application/json; charset=utf-8';

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`Request body larger than ${MAX_BODY_BYTES} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function pgliteVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Opens an in-memory database from the image in `dir` made for this schema and PGlite version, or
 * initialises a new one (schema applied) and writes its image there (atomically: temp file + rename).
 */
async function openFromSnapshot(
  dir: string,
  schemaSql: string,
  report: (error: unknown) => void,
): Promise<{ db: PGlite; schemaApplied: boolean }> {
  const key = createHash('sha256').update(pgliteVersion()).update('\0').update(schemaSql).digest('hex').slice(0, 16);
  const file = join(dir, `demo-backend-${key}.tar`);
  const image = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (image !== undefined) {
    try {
      // The image was made from this very schema text (it is part of the file name): no need to apply it again.
      return { db: await PGlite.create({ loadDataDir: new Blob([image]) }), schemaApplied: true };
    } catch (error) {
      report(new Error(`Could not load the database image ${file}; building a new one`, { cause: error }));
    }
  }
  const db = await PGlite.create();
  try {
    await db.exec(schemaSql);
  } catch (error) {
    await db.close();
    throw error;
  }
  try {
    const dump = await db.dumpDataDir('none');
    await mkdir(dir, { recursive: true });
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, Buffer.from(await dump.arrayBuffer()));
    await rename(temp, file);
  } catch (error) {
    // The image only makes the next start faster: this start goes on without it.
    report(new Error(`Could not write the database image ${file}`, { cause: error }));
  }
  return { db, schemaApplied: true };
}

function checkOptions(options: BackendOptions): void {
  const { port, host, now, random, seed, onError, dataDir, snapshotDir } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (host !== undefined && (typeof host !== 'string' || host === '')) throw new TypeError(`host must be a non-empty string, got ${String(host)}`);
  if (dataDir !== undefined && typeof dataDir !== 'string') throw new TypeError(`dataDir must be a string, got ${typeof dataDir}`);
  if (snapshotDir !== undefined && snapshotDir !== false && typeof snapshotDir !== 'string') {
    throw new TypeError(`snapshotDir must be a directory path or false, got ${typeof snapshotDir}`);
  }
  if (now !== undefined && typeof now !== 'function') throw new TypeError(`now must be a function, got ${typeof now}`);
  if (random !== undefined && typeof random !== 'function') throw new TypeError(`random must be a function, got ${typeof random}`);
  if (onError !== undefined && typeof onError !== 'function') throw new TypeError(`onError must be a function, got ${typeof onError}`);
  if (seed !== undefined && typeof seed !== 'boolean') throw new TypeError(`seed must be a boolean, got ${String(seed)}`);
}

/**
 * Starts the demo backend: PostgreSQL (PGlite) behind an HTTP server speaking the part of PostgREST that
 * supabase-js and ra-supabase-core use, under `/rest/v1`, with an edge rate limiter, fault switches and
 * `/__control/*` routes. A stand-in for Supabase where PostgREST cannot be installed.
 *
 * @example
 * ```ts
 * import { createClient } from '@supabase/supabase-js';
 * const backend = await createBackend({ seed: true, rateLimit: { ratePerSecond: 20, burst: 10, headers: 'ietf', retryAfter: 'integer' } });
 * const supabase = createClient(backend.url, 'anon-key');
 * const { data } = await supabase.from('contacts').select('id,email').order('email');
 * backend.faults.outage = true; // every REST request now answers 503
 * await backend.close();
 * ```
 */
export async function createBackend(options: BackendOptions = {}): Promise<Backend> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? (() => Math.random());
  const onError = options.onError ?? ((error: unknown) => console.error('[demo backend]', error));
  const seed = options.seed ?? false;
  const initialRateLimit = parseRateLimitSettings(options.rateLimit ?? false);
  const faults = createFaults(options.faults);
  const limiter = createRateLimiter({ settings: initialRateLimit, now });
  let lastRateLimit: RateLimitSettings = initialRateLimit === false ? DEFAULT_RATE_LIMIT : initialRateLimit;

  const [schemaSql, seedSql] = await Promise.all([
    readFile(new URL('./schema.sql', import.meta.url), 'utf8'),
    readFile(new URL('./seed.sql', import.meta.url), 'utf8'),
  ]);
  const snapshotDir = options.snapshotDir ?? defaultSnapshotDir();
  const { db, schemaApplied } =
    options.dataDir === undefined && snapshotDir !== false
      ? await openFromSnapshot(snapshotDir, schemaSql, onError)
      : { db: await PGlite.create(options.dataDir), schemaApplied: false };
  let cache: SchemaCache;
  try {
    if (!schemaApplied) await db.exec(schemaSql);
    cache = await loadSchemaCache(db);
    if (seed) {
      const tables = [...cache.relations.values()].filter((r) => r.kind === 'r');
      const loaded = cache;
      const counts = await Promise.all(tables.map((t) => db.query<{ n: number }>(`select count(*)::int as n from ${qualified(loaded, t.name)}`)));
      if (counts.every((c) => c.rows[0]?.n === 0)) await db.exec(seedSql);
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const schema = cache;

  let requests = 0;
  let rateLimited = 0;
  let byStatus: Record<string, number> = {};
  let byPath: Record<string, number> = {};

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string | null, counted: boolean): void => {
    if (counted) byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
    if (res.headersSent || res.destroyed) return;
    const all = { ...headers };
    if (body !== null) all['Content-Length'] = String(Buffer.byteLength(body));
    res.writeHead(status, all);
    res.end(body ?? undefined);
  };

  const reset = async (): Promise<void> => {
    const tables = [...schema.relations.values()].filter((r) => r.kind === 'r' || r.kind === 'p').map((r) => qualified(schema, r.name));
    await db.transaction(async (tx) => {
      if (tables.length > 0) await tx.exec(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
      if (seed) await tx.exec(seedSql);
    });
    requests = 0;
    rateLimited = 0;
    byStatus = {};
    byPath = {};
    limiter.clear();
  };

  const statsSnapshot = (): BackendStats => ({ requests, rateLimited, byStatus: { ...byStatus }, byPath: { ...byPath } });

  const control = {
    faults,
    get rateLimit() {
      return limiter.settings;
    },
    set rateLimit(next: RateLimitSettings | false) {
      limiter.settings = next;
      if (limiter.settings !== false) lastRateLimit = limiter.settings;
    },
    get lastRateLimit() {
      return lastRateLimit;
    },
    statsSnapshot,
    reset,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);

    if (method === 'OPTIONS') {
      const requested = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h !== '');
      send(res, 204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': [...new Set([...ALLOWED_HEADERS, ...requested])].join(', '),
        'Access-Control-Max-Age': '600',
      }, null, false);
      return;
    }

    if (url.pathname === '/__control' || url.pathname.startsWith('/__control/')) {
      const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
      const answer = await handleControl(control, method, url.pathname, body);
      send(res, answer.status, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store' }, JSON.stringify(answer.body), false);
      return;
    }

    requests += 1;
    byPath[url.pathname] = (byPath[url.pathname] ?? 0) + 1;
    const verdict = limiter.check(clientKeyOf(req));
    for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
    if (!verdict.allowed) {
      rateLimited += 1;
      const limit = limiter.settings;
      const body = {
        code: '429',
        message: 'Too Many Requests',
        details: limit === false ? null : `Rate limit of ${limit.ratePerSecond} requests/s (burst ${limit.burst}) exceeded for this client.`,
        hint: verdict.headers['Retry-After'] === undefined ? null : `Retry after ${verdict.headers['Retry-After']} s.`,
      };
      send(res, 429, { 'Content-Type': JSON_TYPE }, JSON.stringify(body), true);
      return;
    }

    if (faults.outage) {
      const body = { code: '503', message: 'Service Unavailable', details: 'Simulated outage (faults.outage).', hint: null };
      send(res, 503, { 'Content-Type': JSON_TYPE }, JSON.stringify(body), true);
      return;
    }
    if (faults.latencyMs > 0) {
      const abort = new AbortController();
      const onClose = (): void => {
        if (!res.writableEnded) abort.abort();
      };
      res.once('close', onClose);
      try {
        await sleep(faults.latencyMs, undefined, { signal: abort.signal });
      } catch {
        return; // the client went away while we were "slow": nothing to answer
      } finally {
        res.off('close', onClose);
      }
    }
    if (faults.status503Rate > 0 && random() < faults.status503Rate) {
      const body = { code: '503', message: 'Service Unavailable', details: 'Simulated failure (faults.status503Rate).', hint: null };
      send(res, 503, { 'Content-Type': JSON_TYPE }, JSON.stringify(body), true);
      return;
    }

    if (url.pathname !== '/rest/v1' && !url.pathname.startsWith('/rest/v1/')) {
      const body = { code: 'PGRST125', message: `Invalid path specified in request URL: ${url.pathname}`, details: null, hint: 'The REST API is under /rest/v1' };
      send(res, 404, { 'Content-Type': JSON_TYPE }, JSON.stringify(body), true);
      return;
    }
    const needsBody = method === 'POST' || method === 'PATCH' || method === 'PUT';
    const body = needsBody ? await readBody(req) : '';
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const answer = await handleRest(db, schema, {
      method,
      path: url.pathname.slice('/rest/v1'.length),
      query: url.searchParams,
      headers,
      body,
      baseUrl: `${baseUrl}/rest/v1`,
    });
    send(res, answer.status, { ...answer.headers }, answer.body, true);
  };

  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const task = handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        send(res, 413, { 'Content-Type': JSON_TYPE, Connection: 'close' }, JSON.stringify({ code: '54000', message: error.message, details: null, hint: null }), true);
        return;
      }
      onError(error);
      const message = error instanceof Error ? error.message : String(error);
      send(res, 500, { 'Content-Type': JSON_TYPE }, JSON.stringify({ code: 'XX000', message, details: null, hint: null }), true);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await stopped;
      await db.close();
    })();
    return closing;
  };

  return {
    url: baseUrl,
    restUrl: `${baseUrl}/rest/v1`,
    port,
    db,
    faults,
    get rateLimit() {
      return control.rateLimit;
    },
    set rateLimit(next) {
      control.rateLimit = next;
    },
    get stats() {
      return statsSnapshot();
    },
    reset,
    close,
  };
}
