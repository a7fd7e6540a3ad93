import { describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../src/index.js';
import { createPacer, type PacerOptions } from '../../src/pacing/createPacer.js';
import { createTestClock, httpError } from '../support/clock.js';

/**
 * Independent clients on one server limit, on a simulated clock: each client is its own executor with its own pacer,
 * they know nothing of each other, and a simulated token-bucket server (100 requests/s, burst 10) answers them. The
 * request and its answer each take 2 ms of simulated time. Nothing here waits on the wall clock.
 */

const RATE = 100;
const BURST = 10;
const LATENCY_MS = 2;
const IN_FLIGHT = 10;

type Clock = ReturnType<typeof createTestClock>;

interface ServerOptions {
  /** Send the draft RateLimit-* headers (shared Remaining) and Retry-After, or a bare 429 with no header at all. */
  readonly headers: boolean;
}

/** A token bucket that answers at the simulated time a request arrives, and counts what it saw per client. */
function simulatedServer(clock: Clock, options: ServerOptions) {
  let tokens = BURST;
  let refilledAt = clock.now();
  const accepted = new Map<number, number[]>();
  let requests = 0;
  let rejected = 0;

  const stateHeaders = (limited: boolean): Record<string, string> => {
    if (!options.headers) return {};
    const toNext = Math.max(1, Math.ceil(Math.max(0, 1 - tokens) / RATE));
    return {
      'RateLimit-Limit': String(BURST),
      'RateLimit-Remaining': String(Math.max(0, Math.floor(tokens))),
      'RateLimit-Reset': String(limited ? toNext : Math.ceil((BURST - tokens) / RATE)),
      'RateLimit-Policy': `${BURST};w=${BURST / RATE}`,
      ...(limited ? { 'Retry-After': String(toNext) } : {}),
    };
  };

  return {
    /** One request from `client`: resolves with the 2xx headers, or rejects with a 429, after the round trip. */
    send(client: number): Promise<{ headers: Headers }> {
      return new Promise((resolve, reject) => {
        clock.setTimeout(() => {
          requests++;
          const now = clock.now();
          tokens = Math.min(BURST, tokens + ((now - refilledAt) * RATE) / 1000);
          refilledAt = now;
          const limited = tokens < 1;
          if (limited) rejected++;
          else {
            tokens -= 1;
            const times = accepted.get(client) ?? [];
            times.push(now);
            accepted.set(client, times);
          }
          const headers = stateHeaders(limited);
          clock.setTimeout(() => (limited ? reject(httpError(429, headers)) : resolve({ headers: new Headers(headers) })), LATENCY_MS);
        }, LATENCY_MS);
      });
    },
    /** Requests client `client` got accepted in [from, to). */
    acceptedBetween(client: number, from: number, to: number): number {
      return (accepted.get(client) ?? []).filter((t) => t >= from && t < to).length;
    },
    stats: () => ({ requests, rejected }),
  };
}

interface Run {
  readonly perClient: number[];
  readonly total: number;
  readonly requests: number;
  readonly rejected: number;
  readonly failedCalls: number;
  readonly circuitsOpened: number;
}

/**
 * `clients` executors keep `IN_FLIGHT` calls each going for `seconds` of simulated time; counts what the server
 * accepted from each over the last `measureSeconds`.
 */
async function share(clients: number, server: ServerOptions, seconds: number, measureSeconds: number, pacer: PacerOptions = {}): Promise<Run> {
  const clock = createTestClock();
  const start = clock.now();
  const end = start + seconds * 1000;
  const sim = simulatedServer(clock, server);
  const executors: Executor[] = [];
  let failedCalls = 0;
  let running = true;
  const loops: Promise<void>[] = [];
  for (let client = 0; client < clients; client++) {
    const executor = createExecutor({ clock, random: () => 0.5, pacer: createPacer({ clock, ...pacer }) });
    executors.push(executor);
    for (let worker = 0; worker < IN_FLIGHT; worker++) {
      loops.push(
        (async () => {
          while (running) {
            const failed = await executor.execute(() => sim.send(client), { idempotent: true }).then(
              () => false,
              () => true,
            );
            // A user whose call failed tries again a little later (a call refused at once must not spin).
            if (failed && running) {
              failedCalls++;
              await new Promise((resolve) => clock.setTimeout(resolve, 100));
            }
          }
        })(),
      );
    }
  }
  while (clock.now() < end) await clock.advance(1);
  running = false;
  const circuitsOpened = executors.filter((e) => e.getStats().rejections > 0 || e.getCircuitState().state !== 'closed').length;
  for (const executor of executors) executor.stop();
  // Workers that were between calls wake up, see `running` false and end.
  let ended = false;
  void Promise.all(loops).then(() => (ended = true));
  while (!ended) await clock.advance(10);

  const from = end - measureSeconds * 1000;
  const perClient = Array.from({ length: clients }, (_, client) => sim.acceptedBetween(client, from, end));
  const { requests, rejected } = sim.stats();
  return { perClient, total: perClient.reduce((a, b) => a + b, 0), requests, rejected, failedCalls, circuitsOpened };
}

const spread = (counts: number[]): number => Math.max(...counts) / Math.max(1, Math.min(...counts));

describe('independent clients on one limit', () => {
  it('three clients with the rate-limit headers converge to a third each, with few 429s and no failed call', async () => {
    const run = await share(3, { headers: true }, 20, 10);
    // The server's 100/s over the measured 10 s is 1,000 requests: the three together use most of it ...
    expect(run.total).toBeGreaterThan(0.85 * RATE * 10);
    // ... in fair shares ...
    expect(spread(run.perClient)).toBeLessThan(1.3);
    // ... while the server turns few requests away, none of them fatal.
    expect(run.rejected / run.requests).toBeLessThan(0.1);
    expect(run.failedCalls).toBe(0);
    expect(run.circuitsOpened).toBe(0);
  }, 60_000);

  it('twenty clients, most of them turned away at first, all get a share, and none fails a call or opens its circuit', async () => {
    const run = await share(20, { headers: true }, 30, 15);
    expect(run.total).toBeGreaterThan(0.9 * RATE * 15);
    // A fair share is 75 requests in the 15 s measured; nobody gets less than 40% of it.
    expect(Math.min(...run.perClient)).toBeGreaterThan(0.4 * ((RATE * 15) / 20));
    expect(run.failedCalls).toBe(0);
    expect(run.circuitsOpened).toBe(0);
  }, 120_000);

  it('with bare 429s, the clients the server serves share the limit fairly', async () => {
    // A bare 429 to a client never served says nothing about others being served: that client follows the plain
    // rules (its 429s spend retries and count), so this pins only the clients that got through.
    const run = await share(3, { headers: false }, 20, 10);
    const served = run.perClient.filter((n) => n > 0);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(run.total).toBeGreaterThan(0.9 * RATE * 10);
    expect(spread(served)).toBeLessThan(1.3);
  }, 60_000);

  it('without the multiplicative decrease (decrease 1) the shares stay unfair', async () => {
    // The same run as the first, with a 429 no longer lowering the rate: the fairness above depends on it.
    const run = await share(3, { headers: true }, 20, 10, { decrease: 1 });
    expect(spread(run.perClient)).toBeGreaterThan(1.5);
  }, 60_000);
});
