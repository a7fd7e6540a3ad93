import type { IncomingMessage } from 'node:http';

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/**
 * The key the rate limiter buckets a request under: the `x-client-id` header, else the `apikey` header,
 * else `Authorization`, else the remote address. Prefixed by where it came from, so an API key cannot
 * collide with an address.
 *
 * @example
 * ```ts
 * clientKeyOf(request); // 'client:tab-1' | 'apikey:anon-key' | 'authorization:Bearer …' | 'address:127.0.0.1'
 * ```
 */
export function clientKeyOf(request: IncomingMessage): string {
  const clientId = header(request, 'x-client-id');
  if (clientId !== undefined) return `client:${clientId}`;
  const apiKey = header(request, 'apikey');
  if (apiKey !== undefined) return `apikey:${apiKey}`;
  const authorization = header(request, 'authorization');
  if (authorization !== undefined) return `authorization:${authorization}`;
  return `address:${request.socket.remoteAddress ?? 'unknown'}`;
}
