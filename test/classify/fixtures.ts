import http from 'node:http';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';

/** A supabase-js PostgREST result for a 429, exactly as the client resolves it when the body is PostgREST's error. */
export function supabaseRateLimitResult() {
  return {
    data: null,
    error: { message: 'Too Many Requests', code: '', details: null, hint: null },
    count: null,
    status: 429,
    statusText: 'Too Many Requests',
  };
}

/** A TCP port on 127.0.0.1 with nothing listening (port 1 is a fetch "bad port", so it cannot be used). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The real error Node 20's fetch (undici) rejects with when the connection is refused. */
export async function refusedFetchError(): Promise<unknown> {
  const port = await closedPort();
  return fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
}

/** A supabase-js client; Node 20 has no global WebSocket, so realtime gets `ws`. */
export function supabaseClient(url: string): SupabaseClient {
  return createClient(url, 'anon-key', { realtime: { transport: ws as never } });
}

/** Runs `use` against a local HTTP server that answers every request with `status`, `headers` and a JSON `body`. */
export async function withServer<T>(
  answer: { status: number; headers?: Record<string, string>; body?: unknown },
  use: (url: string) => Promise<T>,
): Promise<T> {
  const server = http.createServer((_request, response) => {
    response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  try {
    return await use(`http://127.0.0.1:${address.port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
