import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from './seededRandom.js';

export interface TokenBucketServerOptions {
  /** Tokens added per second (continuous refill). */
  readonly rate: number;
  /** Bucket size: the most requests accepted back to back. */
  readonly burst: number;
  /** Send `Retry-After` on a 429. Default true. */
  readonly retryAfter?: boolean;
  /** `'ietf'`: send the draft `RateLimit-*` headers on every answer. Default `'none'`. */
  readonly headers?: 'ietf' | 'none';
  /** The server closes itself this long after `start()`. Default 120 000 ms, at most 600 000 ms. */
  readonly maxDurationMs?: number;
  /**
   * A row re-sent this much before its earliest allowed time still counts as on time: Node's timers measure from the
   * event loop's cached time, so a client that waits exactly Retry-After can arrive a few ms "early". Default 2 ms.
   */
  readonly earlyRetryToleranceMs?: number;
  /** Time source in ms. Default `performance.now`. */
  readonly now?: () => number;
  /**
   * Changes the bucket's rate once `afterStored` distinct rows are stored (a limit that drops, or rises, mid-run). The
   * bucket keeps its tokens; Retry-After, RateLimit-Reset and RateLimit-Policy tell the new rate from then on.
   */
  readonly rateChange?: { readonly afterStored: number; readonly rate: number };
  /** Share of admitted requests whose row is stored and whose answer is lost: the socket is destroyed unanswered. Default 0. */
  readonly lostResponseRate?: number;
  /** Share of admitted requests answered 503 without storing the row. Default 0. */
  readonly unavailableRate?: number;
  /**
   * Inserts are idempotent: a re-insert of a stored id answers 200 and counts as a replay, not a duplicate. Default
   * false (a re-insert answers 409, a duplicate).
   */
  readonly idempotent?: boolean;
  /** Seed of the PRNG that draws the lost responses and 503s, so runs are comparable. Default 1. */
  readonly seed?: number;
}

export interface TokenBucketServerStats {
  /** Every request received, whatever its answer. */
  readonly requests: number;
  /** First inserts stored: answered 201, or stored and their answer lost. */
  readonly accepted: number;
  readonly rejected429: number;
  /** Inserts of an id already stored, answered 409 (without `idempotent`). */
  readonly duplicates: number;
  /** With `idempotent`: re-inserts of a stored id, answered 200 (or lost), that changed nothing. */
  readonly replays: number;
  /** Admitted requests whose row was stored (first insert or replay) and whose socket was destroyed unanswered. */
  readonly lostResponses: number;
  /** Admitted requests answered 503 without storing. */
  readonly unavailable: number;
  /** Requests for an id that arrived before the time its last 429 asked the client to wait for. */
  readonly earlyRetries: number;
  /** Requests answered 400 (no JSON body with a string or number `id`) or 404. */
  readonly badRequests: number;
  /** Distinct ids stored. */
  readonly storedIds: number;
  /** True once the server closed itself because `maxDurationMs` passed. */
  readonly expired: boolean;
  /** The bucket's rate now, in requests per second (differs from `rate` once `rateChange` happened). */
  readonly rate: number;
  /** Clock time (`now()`) at which `rateChange` happened, or `null`. */
  readonly rateChangedAt: number | null;
  /**
   * 429s answered in each half second since the first row request (index 0: its first 500 ms): when in a run the
   * clients were turned away (at the start while they learn the limit, or all along).
   */
  readonly rejected429PerHalfSecond: readonly number[];
}

export interface TokenBucketServer {
  /** Listens on 127.0.0.1, on a free port; resolves with the base URL (`http://127.0.0.1:PORT`). */
  start(): Promise<string>;
  /** Stops listening and drops open connections. Safe to call twice. */
  close(): Promise<void>;
  /** The base URL; throws before `start()`. */
  readonly url: string;
  stats(): TokenBucketServerStats;
  /** Stored ids and how many inserts each received (2 or more: duplicates, or replays with `idempotent`). */
  rows(): ReadonlyMap<string, number>;
}

const MAX_DURATION_CAP_MS = 600_000;
const MAX_BODY_BYTES = 64 * 1024;

function positive(name: string, value: unknown, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw new RangeError(`tokenBucketServer: option "${name}" must be a number > 0${max === Infinity ? '' : ` and <= ${max}`}, got ${String(value)}.`);
  }
  return value;
}

function share(name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new RangeError(`tokenBucketServer: option "${name}" must be a number >= 0 and < 1, got ${String(value)}.`);
  }
  return value;
}

/**
 * A real HTTP server that rate-limits `POST /rows` with a token bucket and keeps the truth about what it stored,
 * to judge clients against: lost rows, duplicates, retries sent before the server's Retry-After. Optionally its rate
 * changes mid-run (`rateChange`), it fails (`lostResponseRate`, `unavailableRate`, drawn from a PRNG seeded by `seed`)
 * and its inserts are idempotent (`idempotent`).
 *
 * @example
 * const server = tokenBucketServer({ rate: 100, burst: 10, headers: 'ietf' })
 * const url = await server.start()
 * await fetch(`${url}/rows`, { method: 'POST', body: JSON.stringify({ id: 'a' }) }) // 201, then 429 when empty
 * await server.close()
 */
export function tokenBucketServer(options: TokenBucketServerOptions): TokenBucketServer {
  let rate = positive('rate', options.rate);
  const burst = positive('burst', options.burst);
  if (!Number.isInteger(burst)) throw new RangeError(`tokenBucketServer: option "burst" must be an integer, got ${burst}.`);
  const maxDurationMs = positive('maxDurationMs', options.maxDurationMs ?? 120_000, MAX_DURATION_CAP_MS);
  const tolerance = options.earlyRetryToleranceMs ?? 2;
  if (typeof tolerance !== 'number' || !(tolerance >= 0)) {
    throw new RangeError(`tokenBucketServer: option "earlyRetryToleranceMs" must be a number >= 0, got ${String(tolerance)}.`);
  }
  const sendRetryAfter = options.retryAfter ?? true;
  const headerMode = options.headers ?? 'none';
  if (headerMode !== 'ietf' && headerMode !== 'none') {
    throw new RangeError(`tokenBucketServer: option "headers" must be 'ietf' or 'none', got ${String(headerMode)}.`);
  }
  const now = options.now ?? (() => performance.now());
  const rateChange = options.rateChange;
  if (rateChange !== undefined) {
    if (typeof rateChange !== 'object' || rateChange === null) {
      throw new RangeError(`tokenBucketServer: option "rateChange" must be { afterStored, rate }, got ${String(rateChange)}.`);
    }
    if (!Number.isInteger(rateChange.afterStored) || rateChange.afterStored < 1) {
      throw new RangeError(`tokenBucketServer: option "rateChange.afterStored" must be an integer >= 1, got ${String(rateChange.afterStored)}.`);
    }
    positive('rateChange.rate', rateChange.rate);
  }
  const lostResponseRate = share('lostResponseRate', options.lostResponseRate);
  const unavailableRate = share('unavailableRate', options.unavailableRate);
  if (lostResponseRate + unavailableRate >= 1) {
    throw new RangeError(
      `tokenBucketServer: options "lostResponseRate" + "unavailableRate" must be < 1, got ${lostResponseRate} + ${unavailableRate}.`,
    );
  }
  const idempotent = options.idempotent ?? false;
  if (typeof idempotent !== 'boolean') throw new RangeError(`tokenBucketServer: option "idempotent" must be a boolean, got ${String(idempotent)}.`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`tokenBucketServer: option "seed" must be an integer, got ${String(seed)}.`);
  const random = seededRandom(seed);
  let rateChangedAt: number | null = null;

  let tokens = burst;
  let refilledAt = now();
  const stored = new Map<string, number>();
  /** id → the earliest time (ms) it may be re-sent, after a 429. */
  const notBefore = new Map<string, number>();
  const counts = {
    requests: 0,
    accepted: 0,
    rejected429: 0,
    duplicates: 0,
    replays: 0,
    lostResponses: 0,
    unavailable: 0,
    earlyRetries: 0,
    badRequests: 0,
  };
  let expired = false;
  let firstRowAt: number | null = null;
  const rejectedPerHalfSecond: number[] = [];
  let server: Server | undefined;
  let url: string | undefined;
  let expiry: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;

  function refill(at: number): void {
    tokens = Math.min(burst, tokens + ((at - refilledAt) * rate) / 1000);
    refilledAt = at;
  }

  /** Seconds (ceil) until one token is available. */
  const secondsToNextToken = (): number => Math.ceil(Math.max(0, 1 - tokens) / rate);
  /** Seconds (ceil) until the bucket is full again: the draft's "quota reset". */
  const secondsToFull = (): number => Math.ceil((burst - tokens) / rate);

  function setRateLimitHeaders(response: ServerResponse, limited: boolean): void {
    if (headerMode !== 'ietf') return;
    response.setHeader('RateLimit-Limit', String(burst));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, Math.floor(tokens))));
    response.setHeader('RateLimit-Reset', String(limited ? Math.max(1, secondsToNextToken()) : secondsToFull()));
    response.setHeader('RateLimit-Policy', `${burst};w=${burst / rate}`);
  }

  function answer(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json');
    response.setHeader('Content-Length', Buffer.byteLength(text));
    response.end(text);
  }

  function handleRow(id: string, response: ServerResponse): void {
    const at = now();
    firstRowAt ??= at;
    refill(at);
    const earliest = notBefore.get(id);
    if (earliest !== undefined && at < earliest - tolerance) counts.earlyRetries++;

    if (tokens < 1) {
      counts.rejected429++;
      const half = Math.floor((at - firstRowAt) / 500);
      for (let i = rejectedPerHalfSecond.length; i <= half; i++) rejectedPerHalfSecond.push(0);
      rejectedPerHalfSecond[half]!++;
      const waitSeconds = Math.max(1, secondsToNextToken());
      if (sendRetryAfter) response.setHeader('Retry-After', String(waitSeconds));
      setRateLimitHeaders(response, true);
      // What the client was told to wait for: Retry-After, else RateLimit-Reset; with neither, nothing was asked.
      if (sendRetryAfter || headerMode === 'ietf') notBefore.set(id, at + waitSeconds * 1000);
      answer(response, 429, { error: 'rate limited', retryAfterSeconds: waitSeconds });
      return;
    }
    tokens -= 1;
    // One draw per admitted request, whatever the options, so a seed gives the same fault sequence to every client.
    const draw = random();
    if (draw < unavailableRate) {
      counts.unavailable++;
      setRateLimitHeaders(response, false);
      answer(response, 503, { error: 'unavailable' });
      return;
    }
    const inserts = (stored.get(id) ?? 0) + 1;
    stored.set(id, inserts);
    if (inserts === 1) counts.accepted++;
    else if (idempotent) counts.replays++;
    else counts.duplicates++;
    if (rateChange !== undefined && rateChangedAt === null && stored.size >= rateChange.afterStored) {
      rate = rateChange.rate; // tokens were refilled at the old rate up to `at`
      rateChangedAt = at;
    }
    if (draw < unavailableRate + lostResponseRate) {
      counts.lostResponses++;
      response.socket?.destroy();
      return;
    }
    setRateLimitHeaders(response, false);
    if (inserts === 1) answer(response, 201, { id });
    else if (idempotent) answer(response, 200, { id, replayed: true });
    else answer(response, 409, { error: 'duplicate id', id });
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    counts.requests++;
    if (request.method !== 'POST' || request.url !== '/rows') {
      counts.badRequests++;
      request.resume();
      answer(response, 404, { error: 'only POST /rows' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('error', () => response.destroy());
    request.on('end', () => {
      let id: unknown;
      try {
        id = size <= MAX_BODY_BYTES ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown })?.id : undefined;
      } catch {
        id = undefined;
      }
      if (typeof id !== 'string' && typeof id !== 'number') {
        counts.badRequests++;
        answer(response, 400, { error: 'body must be JSON with an id' });
        return;
      }
      handleRow(String(id), response);
    });
  }

  async function close(): Promise<void> {
    if (server === undefined) return;
    if (closing !== undefined) return closing;
    if (expiry !== undefined) clearTimeout(expiry);
    const current = server;
    closing = new Promise<void>((resolve, reject) => {
      current.close((error) => (error === undefined ? resolve() : reject(error)));
      current.closeAllConnections();
    });
    return closing;
  }

  return {
    start(): Promise<string> {
      if (server !== undefined) return Promise.reject(new Error('tokenBucketServer: start() was already called.'));
      const created = createServer(handle);
      server = created;
      // Keep-alive sockets would otherwise hold close() until they time out.
      created.keepAliveTimeout = 1000;
      return new Promise<string>((resolve, reject) => {
        created.once('error', reject);
        created.listen(0, '127.0.0.1', () => {
          created.off('error', reject);
          const { port } = created.address() as AddressInfo;
          url = `http://127.0.0.1:${port}`;
          tokens = burst;
          refilledAt = now();
          expiry = setTimeout(() => {
            expired = true;
            close().catch((error: unknown) => {
              process.emitWarning(`tokenBucketServer: closing after maxDurationMs failed: ${String(error)}`);
            });
          }, maxDurationMs);
          expiry.unref();
          resolve(url);
        });
      });
    },
    close,
    get url(): string {
      if (url === undefined) throw new Error('tokenBucketServer: call start() first.');
      return url;
    },
    stats: () => ({ ...counts, storedIds: stored.size, expired, rate, rateChangedAt, rejected429PerHalfSecond: [...rejectedPerHalfSecond] }),
    rows: () => new Map(stored),
  };
}
