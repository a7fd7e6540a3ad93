import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the server does with one request.
 *
 * - `ok`: answers normally: `POST /rows` goes to the row store, anything else gets `200 {"ok":true}`.
 * - `status`: answers `status` with `headers` and `body` (default `{"error":"…"}`); with `store: true` the row is stored
 *   first (the server did the work and still answered an error).
 * - `reset`: sends the status line, headers and half a body, then destroys the socket (fetch resolves, the body read
 *   fails with `TypeError: terminated`, cause `UND_ERR_SOCKET`). With `store: true` the row is stored first: the
 *   ambiguous failure every retry policy has to survive.
 * - `reset-before-headers`: writes half a status line and destroys the socket (fetch rejects with `fetch failed`).
 * - `hang`: accepts the request and never answers (the socket is destroyed when the server closes). With `store: true`
 *   the row is stored first.
 */
export type Fault =
  | { readonly kind: 'ok'; readonly status?: 200 | 201 }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string | readonly string[]>>;
      readonly body?: string;
      readonly store?: boolean;
    }
  | { readonly kind: 'reset'; readonly store?: boolean }
  | { readonly kind: 'reset-before-headers' }
  | { readonly kind: 'hang'; readonly store?: boolean };

/** The named modes of the brief; each is a {@link Fault} for every request. */
export type FaultMode =
  | 'ok'
  | 'reset'
  | 'reset-before-headers'
  | 'hang'
  | 500
  | 502
  | 503
  | 504
  | '503-retry-after'
  | { readonly recoverAfter: { readonly requests?: number; readonly ms?: number; readonly status?: 200 | 201 } };

/** What a plan function is told about a request. */
export interface RequestInfo {
  readonly method: string;
  readonly path: string;
  /** 1-based number of this request since the server started. */
  readonly n: number;
  /** Milliseconds since the server started listening. */
  readonly elapsedMs: number;
  /** The `id` of a `POST /rows` body, when it has one. */
  readonly id: string | undefined;
  /** How many `POST /rows` with this id arrived before this one. */
  readonly previousPostsOfId: number;
  readonly headers: IncomingMessage['headers'];
}

export type FaultPlan = FaultMode | ((request: RequestInfo) => Fault);

export interface FaultServerOptions {
  readonly mode: FaultPlan;
  /** The server closes itself after this long, whatever the test does. Default 15 000 ms. */
  readonly maxDurationMs?: number;
}

export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests received, in order. */
  readonly requests: readonly RequestInfo[];
  /** Ids stored by `POST /rows`, with how many times each was stored (a correct client keeps each at 1). */
  readonly stored: ReadonlyMap<string, number>;
  /** `POST /rows` received per id (stored, refused with 409, or failed by a fault). */
  readonly posts: ReadonlyMap<string, number>;
  /** Requests whose socket was closed before the server answered (hung requests aborted by the client). */
  readonly abandoned: number;
  /** Replaces the plan for the requests still to come. */
  setMode(mode: FaultPlan): void;
  close(): Promise<void>;
}

/** Turns a named mode into a plan. Exported so tests can compose modes. */
export function planFor(mode: FaultMode): (request: RequestInfo) => Fault {
  if (mode === 'ok') return () => ({ kind: 'ok' });
  if (mode === 'reset') return () => ({ kind: 'reset' });
  if (mode === 'reset-before-headers') return () => ({ kind: 'reset-before-headers' });
  if (mode === 'hang') return () => ({ kind: 'hang' });
  if (mode === '503-retry-after') return () => ({ kind: 'status', status: 503, headers: { 'Retry-After': '1' } });
  if (typeof mode === 'number') return () => ({ kind: 'status', status: mode });
  const { requests, ms, status = 200 } = mode.recoverAfter;
  return (request) => {
    const recovered = (requests !== undefined && request.n > requests) || (ms !== undefined && request.elapsedMs >= ms);
    return recovered ? { kind: 'ok', status } : { kind: 'status', status: 503 };
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function idOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' || typeof parsed.id === 'number' ? String(parsed.id) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A real `node:http` server on 127.0.0.1 that misbehaves on purpose, for reliability tests through real `fetch`.
 * It keeps a row store (`POST /rows` with `{ "id": … }`: 201 the first time, 409 for a duplicate id) so a bulk test
 * can compare its report with what the server really stored. It closes itself after `maxDurationMs`.
 *
 * @example
 * const server = await startFaultServer({ mode: { recoverAfter: { requests: 2 } } })
 * await fetch(`${server.url}/thing`) // 503, 503, then 200
 * await server.close()
 */
export async function startFaultServer(options: FaultServerOptions): Promise<FaultServer> {
  let plan = typeof options.mode === 'function' ? options.mode : planFor(options.mode);
  const requests: RequestInfo[] = [];
  const stored = new Map<string, number>();
  const posts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let abandoned = 0;
  let startedAt = 0;

  const store = (id: string | undefined): boolean => {
    if (id === undefined) return false;
    const count = stored.get(id) ?? 0;
    if (count > 0) return false;
    stored.set(id, 1);
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const isRow = req.method === 'POST' && path === '/rows';
    const id = isRow ? idOf(body) : undefined;
    const previousPostsOfId = id === undefined ? 0 : (posts.get(id) ?? 0);
    if (id !== undefined) posts.set(id, previousPostsOfId + 1);
    const info: RequestInfo = {
      method: req.method ?? 'GET',
      path,
      n: requests.length + 1,
      elapsedMs: Date.now() - startedAt,
      id,
      previousPostsOfId,
      headers: req.headers,
    };
    requests.push(info);
    const fault = plan(info);

    if ('store' in fault && fault.store === true && isRow) store(id);
    switch (fault.kind) {
      case 'ok': {
        if (isRow) {
          if (id === undefined) return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"no id"}');
          const fresh = store(id);
          // The row store's own verdict wins over a requested success status: a duplicate is a 409.
          if (!fresh) {
            res.writeHead(409, { 'content-type': 'application/json' });
            return void res.end(JSON.stringify({ code: '23505', message: `duplicate key: id ${id} already exists` }));
          }
          res.writeHead(201, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ id }));
        }
        res.writeHead(fault.status ?? 200, { 'content-type': 'application/json' });
        return void res.end('{"ok":true}');
      }
      case 'status': {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.headers as Record<string, string | string[]>) });
        return void res.end(fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }));
      }
      case 'reset': {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '64' });
        res.write('{"partial":');
        // Let the headers and the first bytes reach the client, then cut the connection mid-body.
        setTimeout(() => res.socket?.destroy(), 5).unref();
        return;
      }
      case 'reset-before-headers': {
        req.socket.write('HTTP/1.1 200 OK\r\nConte');
        setTimeout(() => req.socket.destroy(), 5).unref();
        return;
      }
      case 'hang': {
        res.on('close', () => {
          if (!res.writableEnded) abandoned++;
        });
        return;
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the test server must not hang the client: answer 599 so the test sees it.
      if (!res.headersSent) res.writeHead(599).end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  startedAt = Date.now();
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      clearTimeout(deadline);
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    }));
  const deadline = setTimeout(() => void close(), options.maxDurationMs ?? 15_000);
  deadline.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stored,
    posts,
    get abandoned() {
      return abandoned;
    },
    setMode(mode) {
      plan = typeof mode === 'function' ? mode : planFor(mode);
    },
    close,
  };
}

/**
 * A URL nothing listens on: a port that was opened and closed again, so a connection is refused (ECONNREFUSED).
 */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
