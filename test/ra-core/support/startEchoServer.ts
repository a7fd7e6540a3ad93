import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the echo server answers by default: the request as it arrived. */
export interface Echo {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A tiny HTTP server on 127.0.0.1 that answers each request with JSON describing it (method, headers, body).
 * Query parameters shape the answer: `status` (default 200), `text` (a non-JSON body instead), `message` (a JSON
 * `{ message }` body instead), and any `h-<name>=<value>` becomes a response header.
 */
export async function startEchoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const status = Number(url.searchParams.get('status') ?? '200');
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      for (const [name, value] of url.searchParams) if (name.startsWith('h-')) headers[name.slice(2)] = value;
      const echo: Echo = { method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const text = url.searchParams.get('text');
      const message = url.searchParams.get('message');
      const body = text ?? (message !== null ? JSON.stringify({ message, detail: 'from the echo server' }) : JSON.stringify(echo));
      if (text !== null) headers['Content-Type'] = 'text/plain';
      res.writeHead(status, headers);
      res.end(status === 204 ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
