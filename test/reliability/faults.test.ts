/**
 * Real faults through the executor and real `fetch`, against loopback servers that misbehave on purpose
 * (test/support/servers/faultServer.ts). Real time, small delays: every test is bounded well under 10 s.
 *
 * What the caller sees, per fault (non-idempotent call / idempotent call with retries left):
 *
 * | fault | non-idempotent | idempotent | circuit |
 * | --- | --- | --- | --- |
 * | connection refused | `TypeError: fetch failed` (cause ECONNREFUSED), 1 attempt | retried; `RetriesExhaustedError`, cause the TypeError | counts |
 * | reset mid-response | `TypeError: terminated` (cause UND_ERR_SOCKET), 1 attempt | retried | counts |
 * | reset before headers | `TypeError: fetch failed` (cause UND_ERR_SOCKET), 1 attempt | retried | counts |
 * | hang (+ attemptTimeoutMs) | `AttemptTimeoutError`, 1 attempt | retried; `RetriesExhaustedError`, cause AttemptTimeoutError | counts |
 * | 500 | the `Response` passed through, 1 attempt | same: never retried | counts |
 * | 502 / 503 / 504 | the `Response` passed through, 1 attempt | retried; `RetriesExhaustedError`, cause the last Response | counts |
 * | 503 + Retry-After: 1 | passed through, no wait | retried no sooner than 1 s | counts; open time >= 1 s |
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  AttemptTimeoutError,
  CircuitOpenError,
  createExecutor,
  isRetriesExhaustedError,
  RetriesExhaustedError,
  runBulk,
  type CircuitStateName,
  type Executor,
  type ExecutorOptions,
  type RetryInfo,
} from '../../src/index.js';
import { startFaultServer, refusedUrl, type Fault, type FaultServer, type FaultPlan } from '../support/servers/faultServer.js';
import { getJson, postRow, type PostedRow } from '../support/servers/fetchOps.js';
import { settle, waitFor } from '../support/servers/waitFor.js';

const fast: ExecutorOptions = {
  initialDelayMs: 10,
  maxDelayMs: 40,
  jitter: 'none',
  openDurationMs: 200,
  retryBudget: false,
};

const servers: FaultServer[] = [];
const executors: Executor[] = [];

async function server(mode: FaultPlan): Promise<FaultServer> {
  const s = await startFaultServer({ mode, maxDurationMs: 10_000 });
  servers.push(s);
  return s;
}

function executor(options: ExecutorOptions = {}): Executor {
  const e = createExecutor({ ...fast, ...options });
  executors.push(e);
  return e;
}

afterEach(async () => {
  for (const e of executors.splice(0)) e.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function causeCode(error: unknown): unknown {
  return ((error as { cause?: { code?: unknown } }).cause ?? {}).code;
}

describe('connection refused', () => {
  it('a non-idempotent call sees the fetch TypeError itself, tried once, and the circuit counts it', async () => {
    const url = await refusedUrl();
    const e = executor();
    const retries: RetryInfo[] = [];
    const result = await settle(e.execute((ctx) => getJson(url, ctx), { onRetry: (r) => retries.push(r) }));
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(causeCode(error)).toBe('ECONNREFUSED');
    expect(retries).toEqual([]);
    expect(e.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 1 });
  });

  it('an idempotent call is retried and ends in RetriesExhaustedError with the TypeError as cause', async () => {
    const url = await refusedUrl();
    const e = executor({ maxRetries: 2 });
    const result = await settle(e.execute((ctx) => getJson(url, ctx), { idempotent: true }));
    const error = (result as { error: unknown }).error as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(3);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(causeCode(error.cause)).toBe('ECONNREFUSED');
    expect(e.getStats()).toMatchObject({ calls: 1, failed: 1, retries: 2 });
  });

  it('opens the circuit after failureThreshold refused calls; the next call is rejected without a connection', async () => {
    const url = await refusedUrl();
    const e = executor({ failureThreshold: 3, openDurationMs: 5000 });
    for (let i = 0; i < 3; i++) await settle(e.execute((ctx) => getJson(url, ctx)));
    expect(e.getCircuitState()).toMatchObject({ state: 'open', isOpen: true, consecutiveFailures: 3 });
    let tried = false;
    const result = await settle(
      e.execute((ctx) => {
        tried = true;
        return getJson(url, ctx);
      }),
    );
    expect((result as { error: unknown }).error).toBeInstanceOf(CircuitOpenError);
    expect(tried).toBe(false);
  });
});

describe('connection reset', () => {
  it('mid-response: a non-idempotent call sees `terminated` once; the server got exactly one request', async () => {
    const s = await server('reset');
    const e = executor({ maxRetries: 3 });
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/item`, ctx)));
    const error = (result as { error: unknown }).error as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('terminated');
    expect(causeCode(error)).toBe('UND_ERR_SOCKET');
    expect(s.requests).toHaveLength(1);
    expect(e.getCircuitState().consecutiveFailures).toBe(1);
  });

  it('mid-response: an idempotent call is retried until its retries run out', async () => {
    const s = await server('reset');
    const e = executor({ maxRetries: 2 });
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/item`, ctx), { idempotent: true }));
    const error = (result as { error: unknown }).error as RetriesExhaustedError;
    expect(isRetriesExhaustedError(error)).toBe(true);
    expect(error.attempts).toBe(3);
    expect((error.cause as Error).message).toBe('terminated');
    expect(s.requests).toHaveLength(3);
  });

  it('before the headers: `fetch failed` with UND_ERR_SOCKET, retried only when idempotent', async () => {
    const s = await server('reset-before-headers');
    const e = executor({ maxRetries: 1, failureThreshold: 10 });
    const once = await settle(e.execute((ctx) => getJson(`${s.url}/a`, ctx)));
    expect((once as { error: Error }).error.message).toBe('fetch failed');
    expect(causeCode((once as { error: unknown }).error)).toBe('UND_ERR_SOCKET');
    expect(s.requests).toHaveLength(1);
    const twice = await settle(e.execute((ctx) => getJson(`${s.url}/b`, ctx), { idempotent: true }));
    expect((twice as { error: unknown }).error).toBeInstanceOf(RetriesExhaustedError);
    expect(s.requests).toHaveLength(3);
  });

  it('an idempotent call whose first answer was cut succeeds on the retry', async () => {
    const s = await server(({ n }) => (n === 1 ? { kind: 'reset' } : { kind: 'ok' }));
    const e = executor();
    await expect(e.execute((ctx) => getJson(`${s.url}/item`, ctx), { idempotent: true })).resolves.toEqual({ ok: true });
    expect(s.requests).toHaveLength(2);
    expect(e.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });
});

describe('a server that hangs', () => {
  it('with attemptTimeoutMs, a non-idempotent call ends in AttemptTimeoutError and the request is abandoned', async () => {
    const s = await server('hang');
    const e = executor({ attemptTimeoutMs: 150 });
    const started = Date.now();
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/slow`, ctx)));
    expect((result as { error: unknown }).error).toBeInstanceOf(AttemptTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    // The attempt's signal reached fetch: the client closed the socket instead of leaving it open.
    await waitFor(() => s.abandoned === 1, { what: 'the server to see the request abandoned' });
    expect(e.getCircuitState().consecutiveFailures).toBe(1);
  });

  it('an idempotent call is retried after each timeout and ends in RetriesExhaustedError', async () => {
    const s = await server('hang');
    const e = executor({ attemptTimeoutMs: 100, maxRetries: 1 });
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/slow`, ctx), { idempotent: true }));
    const error = (result as { error: unknown }).error as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.cause).toBeInstanceOf(AttemptTimeoutError);
    expect(error.attempts).toBe(2);
    await waitFor(() => s.abandoned === 2, { what: 'both hung requests to be abandoned' });
  });

  it('timeouts open the circuit like any failure', async () => {
    const s = await server('hang');
    const e = executor({ attemptTimeoutMs: 50, failureThreshold: 2, openDurationMs: 5000 });
    await settle(e.execute((ctx) => getJson(`${s.url}/1`, ctx)));
    await settle(e.execute((ctx) => getJson(`${s.url}/2`, ctx)));
    expect(e.getCircuitState().state).toBe('open');
  });
});

describe('5xx answers', () => {
  it.each([500, 502, 503, 504] as const)('%i: a non-idempotent call gets the Response itself, tried once', async (status) => {
    const s = await server(status);
    const e = executor();
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/x`, ctx)));
    const error = (result as { error: unknown }).error;
    expect(error).toBeInstanceOf(Response);
    expect((error as Response).status).toBe(status);
    expect(s.requests).toHaveLength(1);
    expect(e.getCircuitState().consecutiveFailures).toBe(1);
  });

  it('500: an idempotent call is still not retried (the server said it failed, not that it is busy)', async () => {
    const s = await server(500);
    const e = executor({ maxRetries: 3 });
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/x`, ctx), { idempotent: true }));
    expect((result as { error: Response }).error.status).toBe(500);
    expect(s.requests).toHaveLength(1);
  });

  it.each([502, 503, 504] as const)('%i: an idempotent call is retried, then RetriesExhaustedError with the last Response', async (status) => {
    const s = await server(status);
    const e = executor({ maxRetries: 2 });
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/x`, ctx), { idempotent: true }));
    const error = (result as { error: unknown }).error as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(3);
    expect((error.cause as Response).status).toBe(status);
    expect(s.requests).toHaveLength(3);
    expect(e.getStats()).toMatchObject({ failed: 1, retries: 2 });
  });

  it('503 with Retry-After: 1 is retried no sooner than 1 s, and the error carries the wait', async () => {
    const s = await server('503-retry-after');
    const e = executor({ maxRetries: 1 });
    const retries: RetryInfo[] = [];
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/x`, ctx), { idempotent: true, onRetry: (r) => retries.push(r) }));
    expect(retries.map((r) => [r.delayMs, r.retryAfterMs])).toEqual([[1000, 1000]]);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]!.elapsedMs - s.requests[0]!.elapsedMs).toBeGreaterThanOrEqual(990);
    expect((result as { error: unknown }).error).toMatchObject({ name: 'RetriesExhaustedError', retryAfterMs: 1000, attempts: 2 });
  });

  it('503 with Retry-After on a non-idempotent call passes through at once, and keeps the circuit open at least 1 s', async () => {
    const s = await server('503-retry-after');
    const e = executor({ failureThreshold: 1 });
    const started = Date.now();
    const result = await settle(e.execute((ctx) => getJson(`${s.url}/x`, ctx)));
    expect((result as { error: Response }).error.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(900);
    const state = e.getCircuitState();
    expect(state.state).toBe('open');
    expect(state.nextAttemptAt! - state.openedAt!).toBe(1000);
  });
});

describe('a server that recovers', () => {
  it('after N requests: an idempotent call with enough retries succeeds', async () => {
    const s = await server({ recoverAfter: { requests: 3, status: 201 } });
    const e = executor({ maxRetries: 5 });
    await expect(e.execute((ctx) => getJson(`${s.url}/x`, ctx), { idempotent: true })).resolves.toEqual({ ok: true });
    expect(s.requests).toHaveLength(4);
    expect(e.getStats()).toMatchObject({ succeeded: 1, retries: 3, failed: 0 });
    expect(e.getCircuitState()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('after N ms: an idempotent call with enough retries succeeds', async () => {
    const s = await server({ recoverAfter: { ms: 150 } });
    const e = executor({ maxRetries: 20 });
    await expect(e.execute((ctx) => getJson(`${s.url}/x`, ctx), { idempotent: true })).resolves.toEqual({ ok: true });
    expect(s.requests.at(-1)!.elapsedMs).toBeGreaterThanOrEqual(150);
  });

  it('the circuit opens under a persistent 503, lets no request through while open, then half-opens and closes', async () => {
    const s = await server({ recoverAfter: { ms: 600 } });
    const e = executor({ maxRetries: 0, failureThreshold: 3, openDurationMs: 200 });
    const states: CircuitStateName[] = [e.getCircuitState().state];
    e.subscribe((state) => {
      if (states.at(-1) !== state.state) states.push(state.state);
    });
    let requestsWhileOpen = 0;
    let rejected = 0;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !(states.includes('open') && e.getCircuitState().state === 'closed')) {
      const before = s.requests.length;
      const wasOpen = e.getCircuitState().state === 'open';
      const result = await settle(e.execute((ctx) => getJson(`${s.url}/x`, ctx)));
      if (!result.ok && result.error instanceof CircuitOpenError) rejected++;
      if (wasOpen) requestsWhileOpen += s.requests.length - before;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    expect(states[0]).toBe('closed');
    expect(states.at(-1)).toBe('closed');
    expect(states).toContain('open');
    expect(states).toContain('halfOpen');
    // Every halfOpen is followed by open (a failed trial) or closed (the successful one), never by anything else.
    states.forEach((state, i) => {
      if (state === 'halfOpen' && i + 1 < states.length) expect(['open', 'closed']).toContain(states[i + 1]);
    });
    expect(rejected).toBeGreaterThan(0);
    expect(requestsWhileOpen).toBe(0);
    await expect(e.execute((ctx) => getJson(`${s.url}/x`, ctx))).resolves.toEqual({ ok: true });
  });
});

describe('runBulk against a flaky row store: nothing is lost, nothing is doubled', () => {
  const ids = Array.from({ length: 30 }, (_, i) => `row-${String(i).padStart(2, '0')}`);
  const indexOf = (id: string | undefined): number => ids.indexOf(id ?? '');

  /** The first POST of each id meets one of six faults; every later POST of it is served normally. */
  const firstPostFault = (i: number): Fault => {
    switch (i % 6) {
      case 1:
        return { kind: 'reset', store: true }; // stored, answer lost
      case 2:
        return { kind: 'status', status: 503 }; // not stored
      case 3:
        return { kind: 'reset-before-headers' }; // not stored
      case 4:
        return { kind: 'status', status: 502, store: true }; // the gateway gave up, the backend stored it
      case 5:
        return { kind: 'hang', store: true }; // stored, never answered
      default:
        return { kind: 'ok' };
    }
  };
  const storedByFirstAttempt = (i: number): boolean => [1, 4, 5].includes(i % 6);
  const flaky: FaultPlan = (request) =>
    request.previousPostsOfId === 0 ? firstPostFault(indexOf(request.id)) : { kind: 'ok' };

  function assertExactlyOnce(report: { results: readonly { index: number }[] }): void {
    expect(report.results.map((r) => r.index)).toEqual(ids.map((_, i) => i));
  }

  it('idempotent creates: every row succeeds once, the server stores each id once, duplicates are the lost answers', async () => {
    const s = await server(flaky);
    const e = executor({ maxRetries: 3, attemptTimeoutMs: 800, failureThreshold: 100 });
    const report = await runBulk(ids, (id, _i, ctx) => postRow(s.url, id, ctx), { executor: e, concurrency: 5, idempotent: true });

    assertExactlyOnce(report);
    expect(report).toMatchObject({ total: 30, succeeded: 30, failed: 0, wasAborted: false });
    expect([...s.stored.keys()].sort()).toEqual(ids);
    expect([...s.stored.values()].every((count) => count === 1)).toBe(true);
    const duplicates = report.results.filter((r) => r.status === 'succeeded' && (r.value as PostedRow).duplicate).map((r) => r.index);
    expect(duplicates).toEqual(ids.map((_, i) => i).filter(storedByFirstAttempt));
    // Every row but the 5 healthy ones needed exactly one retry.
    expect(report.retries).toBe(25);
    expect(s.requests).toHaveLength(55);
    expect([...s.posts.values()].every((count) => count <= 2)).toBe(true);
  });

  it('non-idempotent creates: ambiguous rows fail (never re-sent), and retryFailed with idempotent ids reconciles them', async () => {
    const s = await server(flaky);
    const e = executor({ maxRetries: 3, attemptTimeoutMs: 800, failureThreshold: 100 });
    const report = await runBulk(ids, (id, _i, ctx) => postRow(s.url, id, ctx), { executor: e, concurrency: 5, idempotent: false });

    assertExactlyOnce(report);
    // Only the healthy rows succeed; every fault here is ambiguous, so none is retried.
    expect(report.succeeded).toBe(5);
    expect(report.failedIndices).toEqual(ids.map((_, i) => i).filter((i) => i % 6 !== 0));
    expect(report.results.every((r) => r.status === 'succeeded' || r.reason === 'error')).toBe(true);
    expect(s.requests).toHaveLength(30);
    const succeeded = report.results.filter((r) => r.status === 'succeeded').map((r) => ids[r.index]!);
    // The report never claims a row the server does not have; the server has more (answers that were lost).
    for (const id of succeeded) expect(s.stored.has(id)).toBe(true);
    expect(s.stored.size).toBe(5 + ids.filter((_, i) => storedByFirstAttempt(i)).length);

    const again = await report.retryFailed({ idempotent: true });
    assertExactlyOnce(again);
    expect(again).toMatchObject({ succeeded: 30, failed: 0 });
    expect([...s.stored.keys()].sort()).toEqual(ids);
    expect([...s.stored.values()].every((count) => count === 1)).toBe(true);
  });

  it('an outage mid-run opens the circuit: rows fail as error or circuit-open, none lost; retryFailed finishes the import', async () => {
    let down = false;
    let outageStarted = false;
    const s = await server(() => (down ? { kind: 'status', status: 503 } : { kind: 'ok' }));
    const e = executor({ maxRetries: 1, failureThreshold: 3, openDurationMs: 150 });
    e.subscribe((state) => {
      if (state.state === 'open') down = false; // the server comes back while the circuit is open
    });
    const report = await runBulk(
      ids,
      async (id, index, ctx) => {
        if (index === 10 && !outageStarted) {
          outageStarted = true;
          down = true;
        }
        return postRow(s.url, id, ctx);
      },
      // 'fail': rows turned away by the open circuit are reported at once (the default waits for the trial).
      { executor: e, concurrency: 3, idempotent: true, onCircuitOpen: 'fail' },
    );
    assertExactlyOnce(report);
    expect(report.succeeded + report.failed).toBe(30);
    expect(report.failed).toBeGreaterThan(0);
    const reasons = new Set(report.results.flatMap((r) => (r.status === 'failed' ? [r.reason] : [])));
    expect([...reasons].every((reason) => reason === 'error' || reason === 'circuit-open')).toBe(true);
    expect(reasons.has('circuit-open')).toBe(true);
    // 503 stores nothing: the server holds exactly the rows the report says succeeded.
    const succeeded = report.results.filter((r) => r.status === 'succeeded').map((r) => ids[r.index]!);
    expect([...s.stored.keys()].sort()).toEqual(succeeded.sort());

    let current = report;
    for (let round = 0; round < 10 && current.failed > 0; round++) {
      await waitFor(() => e.getCircuitState().state !== 'open', { timeoutMs: 2000, what: 'the circuit to leave open' });
      current = await current.retryFailed();
      assertExactlyOnce(current);
    }
    expect(current).toMatchObject({ succeeded: 30, failed: 0 });
    expect([...s.stored.keys()].sort()).toEqual(ids);
    expect([...s.stored.values()].every((count) => count === 1)).toBe(true);
  });
});
