/**
 * Hostile and broken rate-limit headers, through the EXECUTOR (the parsers have their own tests in test/classify).
 * Each row is a 429 on the first attempt; the executor runs with `jitter: 'none'`, `initialDelayMs: 100`,
 * `maxRetries: 1`, the default `maxRetryAfterMs` (120 000) and the default pacer, on a simulated clock. "retry after"
 * is the wait `onRetry` reports AND the clock time between the two attempts; "gives up" means the call rejects at once
 * (no clock movement) with `RetriesExhaustedError { retryAfterTooLong: true, attempts: 1, retryAfterMs }`.
 * No row may ask the clock for a NaN, negative or infinite delay, nor wait longer than `maxRetryAfterMs`.
 *
 * | 429 with … | outcome |
 * | --- | --- |
 * | no header at all | retry after 100 ms (the back-off) |
 * | `Retry-After: soon` / empty / `NaN` / `Infinity` / `1e3` / `0x10` / `+5` / `5 seconds` | retry after 100 ms (garbage is ignored) |
 * | `Retry-After: -5` | retry after 100 ms (negative is ignored) |
 * | `Retry-After: 0` | retry after 100 ms (the back-off still applies) |
 * | `Retry-After: 1.5` | retry after 1500 ms (fractions are read) |
 * | `Retry-After: 0.0001` | retry after 100 ms (rounded up to 1 ms, under the back-off) |
 * | `Retry-After: " 2 "` | retry after 2000 ms |
 * | `Retry-After: 120` (= maxRetryAfterMs) | retry after 120 000 ms |
 * | `Retry-After: 121` | gives up at once, retryAfterMs 121 000 |
 * | `Retry-After: 1000000000000` (10^12 s) | gives up at once, retryAfterMs 10^15 |
 * | `Retry-After: 99999999999999999999999` | gives up at once, retryAfterMs = Number.MAX_SAFE_INTEGER |
 * | `Retry-After:` HTTP-date in the past | retry after 100 ms (a past date is a wait of 0) |
 * | `Retry-After:` HTTP-date 30 s ahead | retry after 30 000 ms |
 * | `Retry-After:` HTTP-date in year 9999 | gives up at once |
 * | `Retry-After:` HTTP-date with an impossible day/month | retry after 100 ms |
 * | `Retry-After` sent twice, `1` and `5` | retry after 5000 ms (the largest valid value wins) |
 * | `Retry-After` sent twice, `soon` and `3` | retry after 3000 ms (the unreadable one is skipped) |
 * | `Retry-After` sent twice, `120` and `9999999` | gives up at once (the largest wins, even when huge) |
 * | `Retry-After` sent twice, two HTTP-dates 10 s and 20 s ahead | retry after 20 000 ms |
 * | plain-object headers `{ 'retry-after': ['2', 'x'] }` | retry after 2000 ms |
 * | `RateLimit-Remaining: 0` + `RateLimit-Reset: abc` / `-10` | retry after 100 ms |
 * | `RateLimit-Remaining: abc` + `RateLimit-Reset: 30` | retry after 30 000 ms (an unreadable remaining counts as not given) |
 * | `RateLimit-Remaining: 5` + `RateLimit-Reset: 30` | retry after 100 ms (requests remain: the reset is no wait) |
 * | `RateLimit: limit=abc, remaining=0, reset=xyz` | retry after 100 ms |
 * | `RateLimit: ;;;===,,` | retry after 100 ms |
 * | `X-RateLimit-Remaining: 0` + `X-RateLimit-Reset:` epoch seconds a minute ago | retry after 100 ms |
 * | `X-RateLimit-Remaining: 0` + `X-RateLimit-Reset:` epoch seconds in year 3000 | gives up at once |
 * | `X-RateLimit-Remaining: 0` + `X-RateLimit-Reset: 1e10` | retry after 100 ms |
 * | `X-RateLimit-Remaining: 0` + `X-RateLimit-Reset-After: 2.5` | retry after 2500 ms |
 * | `RateLimit-Remaining: 0` + `RateLimit-Reset: 999999999` (31 years) | gives up at once |
 * | `Retry-After: 1` + `RateLimit-Remaining: 0` + `RateLimit-Reset: 999999999` | retry after 1000 ms (Retry-After wins) |
 * | `Retry-After: soon` + `RateLimit-Remaining: 0` + `RateLimit-Reset: 7` | retry after 7000 ms |
 * | body not JSON (`<html>…`), no header | retry after 100 ms (the body is never read) |
 * | JSON body `{ "retryAfter": 5 }`, no header | retry after 100 ms (the body is never read) |
 * | error object `{ status: 429, retryAfter: -1 / NaN / Infinity / '5' }` | retry after 100 ms |
 * | error object `{ status: 429, retryAfterMs: 2500.4 }` | retry after 2501 ms (rounded up) |
 * | error object `{ status: 429, retryAfterMs: 1e300 }` | gives up at once, retryAfterMs = Number.MAX_SAFE_INTEGER |
 *
 * Beyond the first retry: a wait the executor refused as too long must not come back through another door (the
 * pacer's memory of a rate-limit reset, or the circuit's open time), and no wait may be handed to Node's 32-bit
 * `setTimeout` in a way that turns it into 1 ms. See the `describe` blocks after the table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createExecutor,
  RetriesExhaustedError,
  type Executor,
  type ExecutorOptions,
  type RetryInfo,
} from '../../src/index.js';
import { createRecordingClock, flush, type RecordingClock } from './support/recordingClock.js';

const T0 = 1_700_000_000_000;
const MAX_RETRY_AFTER = 120_000;
const httpDate = (ms: number): string => new Date(ms).toUTCString();

function res429(headers: HeadersInit = {}, body: BodyInit | null = null): Response {
  return new Response(body, { status: 429, headers });
}

function twice(name: string, a: string, b: string, extra: Record<string, string> = {}): Response {
  const headers = new Headers(extra);
  headers.append(name, a);
  headers.append(name, b);
  return res429(headers);
}

type Outcome = { readonly retryAfterMs: number } | { readonly givesUp: number };

const table: ReadonlyArray<readonly [name: string, error: () => unknown, outcome: Outcome]> = [
  ['no header at all', () => res429(), { retryAfterMs: 100 }],
  ['Retry-After: soon', () => res429({ 'Retry-After': 'soon' }), { retryAfterMs: 100 }],
  ['Retry-After: (empty)', () => res429({ 'Retry-After': '' }), { retryAfterMs: 100 }],
  ['Retry-After: NaN', () => res429({ 'Retry-After': 'NaN' }), { retryAfterMs: 100 }],
  ['Retry-After: Infinity', () => res429({ 'Retry-After': 'Infinity' }), { retryAfterMs: 100 }],
  ['Retry-After: 1e3', () => res429({ 'Retry-After': '1e3' }), { retryAfterMs: 100 }],
  ['Retry-After: 0x10', () => res429({ 'Retry-After': '0x10' }), { retryAfterMs: 100 }],
  ['Retry-After: +5', () => res429({ 'Retry-After': '+5' }), { retryAfterMs: 100 }],
  ['Retry-After: 5 seconds', () => res429({ 'Retry-After': '5 seconds' }), { retryAfterMs: 100 }],
  ['Retry-After: -5', () => res429({ 'Retry-After': '-5' }), { retryAfterMs: 100 }],
  ['Retry-After: 0', () => res429({ 'Retry-After': '0' }), { retryAfterMs: 100 }],
  ['Retry-After: 1.5', () => res429({ 'Retry-After': '1.5' }), { retryAfterMs: 1500 }],
  ['Retry-After: 0.0001', () => res429({ 'Retry-After': '0.0001' }), { retryAfterMs: 100 }],
  ['Retry-After: " 2 "', () => res429({ 'Retry-After': ' 2 ' }), { retryAfterMs: 2000 }],
  ['Retry-After: 120 (= maxRetryAfterMs)', () => res429({ 'Retry-After': '120' }), { retryAfterMs: 120_000 }],
  ['Retry-After: 121', () => res429({ 'Retry-After': '121' }), { givesUp: 121_000 }],
  ['Retry-After: 10^12 seconds', () => res429({ 'Retry-After': '1000000000000' }), { givesUp: 1e15 }],
  ['Retry-After: 99999999999999999999999', () => res429({ 'Retry-After': '99999999999999999999999' }), { givesUp: Number.MAX_SAFE_INTEGER }],
  ['Retry-After: HTTP-date in the past', () => res429({ 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }), { retryAfterMs: 100 }],
  ['Retry-After: HTTP-date 30 s ahead', () => res429({ 'Retry-After': httpDate(T0 + 30_000) }), { retryAfterMs: 30_000 }],
  ['Retry-After: HTTP-date in year 9999', () => res429({ 'Retry-After': 'Fri, 31 Dec 9999 23:59:59 GMT' }), { givesUp: Date.parse('9999-12-31T23:59:59Z') - T0 }],
  ['Retry-After: impossible HTTP-date', () => res429({ 'Retry-After': 'Mon, 32 Foo 2023 25:61:61 GMT' }), { retryAfterMs: 100 }],
  ['Retry-After twice: 1 and 5', () => twice('Retry-After', '1', '5'), { retryAfterMs: 5000 }],
  ['Retry-After twice: soon and 3', () => twice('Retry-After', 'soon', '3'), { retryAfterMs: 3000 }],
  ['Retry-After twice: 120 and 9999999', () => twice('Retry-After', '120', '9999999'), { givesUp: 9_999_999_000 }],
  ['Retry-After twice: two HTTP-dates', () => twice('Retry-After', httpDate(T0 + 10_000), httpDate(T0 + 20_000)), { retryAfterMs: 20_000 }],
  ['plain-object headers with an array', () => ({ status: 429, headers: { 'retry-after': ['2', 'x'] } }), { retryAfterMs: 2000 }],
  ['RateLimit-Remaining: 0, RateLimit-Reset: abc', () => res429({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': 'abc' }), { retryAfterMs: 100 }],
  ['RateLimit-Remaining: 0, RateLimit-Reset: -10', () => res429({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '-10' }), { retryAfterMs: 100 }],
  ['RateLimit-Remaining: abc, RateLimit-Reset: 30', () => res429({ 'RateLimit-Remaining': 'abc', 'RateLimit-Reset': '30' }), { retryAfterMs: 30_000 }],
  ['RateLimit-Remaining: 5, RateLimit-Reset: 30', () => res429({ 'RateLimit-Remaining': '5', 'RateLimit-Reset': '30' }), { retryAfterMs: 100 }],
  ['RateLimit: limit=abc, remaining=0, reset=xyz', () => res429({ RateLimit: 'limit=abc, remaining=0, reset=xyz' }), { retryAfterMs: 100 }],
  ['RateLimit: ;;;===,,', () => res429({ RateLimit: ';;;===,,' }), { retryAfterMs: 100 }],
  ['X-RateLimit-Reset: epoch a minute ago', () => res429({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(T0 / 1000 - 60) }), { retryAfterMs: 100 }],
  ['X-RateLimit-Reset: epoch in year 3000', () => res429({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '32503680000' }), { givesUp: 32_503_680_000_000 - T0 }],
  ['X-RateLimit-Reset: 1e10', () => res429({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1e10' }), { retryAfterMs: 100 }],
  ['X-RateLimit-Reset-After: 2.5', () => res429({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset-After': '2.5' }), { retryAfterMs: 2500 }],
  ['RateLimit-Reset: 999999999 (31 years)', () => res429({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '999999999' }), { givesUp: 999_999_999_000 }],
  [
    'Retry-After: 1 with RateLimit-Reset: 999999999',
    () => res429({ 'Retry-After': '1', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '999999999' }),
    { retryAfterMs: 1000 },
  ],
  ['Retry-After: soon with RateLimit-Reset: 7', () => res429({ 'Retry-After': 'soon', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '7' }), { retryAfterMs: 7000 }],
  ['body not JSON', () => res429({ 'content-type': 'text/html' }, '<html><body>Too Many</body></html>'), { retryAfterMs: 100 }],
  ['JSON body with retryAfter, no header', () => res429({ 'content-type': 'application/json' }, '{"retryAfter":5}'), { retryAfterMs: 100 }],
  ['error object retryAfter: -1', () => ({ status: 429, retryAfter: -1 }), { retryAfterMs: 100 }],
  ['error object retryAfter: NaN', () => ({ status: 429, retryAfter: Number.NaN }), { retryAfterMs: 100 }],
  ['error object retryAfter: Infinity', () => ({ status: 429, retryAfter: Number.POSITIVE_INFINITY }), { retryAfterMs: 100 }],
  ["error object retryAfter: '5'", () => ({ status: 429, retryAfter: '5' }), { retryAfterMs: 100 }],
  ['error object retryAfterMs: 2500.4', () => ({ status: 429, retryAfterMs: 2500.4 }), { retryAfterMs: 2501 }],
  ['error object retryAfterMs: 1e300', () => ({ status: 429, retryAfterMs: 1e300 }), { givesUp: Number.MAX_SAFE_INTEGER }],
];

const executors: Executor[] = [];
afterEach(() => {
  for (const e of executors.splice(0)) e.stop();
});

function makeExecutor(clock: RecordingClock, options: ExecutorOptions = {}): Executor {
  const executor = createExecutor({ clock, jitter: 'none', initialDelayMs: 100, maxRetries: 1, retryBudget: false, ...options });
  executors.push(executor);
  return executor;
}

function expectSaneDelays(clock: RecordingClock, bound: number): void {
  for (const ms of clock.requested) {
    expect(Number.isFinite(ms), `delay ${ms} is finite`).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThanOrEqual(bound);
  }
}

describe('a 429 with bad rate-limit headers, through the executor', () => {
  it.each(table)('%s', async (_name, makeError, outcome) => {
    const clock = createRecordingClock(T0);
    const executor = makeExecutor(clock);
    const starts: number[] = [];
    const retries: RetryInfo[] = [];
    let result: { value?: unknown; error?: unknown } | undefined;
    executor
      .execute(
        async ({ attempt }) => {
          starts.push(clock.now());
          if (attempt === 1) throw makeError();
          return 'second attempt';
        },
        { onRetry: (info) => retries.push(info) },
      )
      .then(
        (value) => (result = { value }),
        (error: unknown) => (result = { error }),
      );
    await flush();

    if ('givesUp' in outcome) {
      expect(result, 'gave up without the clock moving').toBeDefined();
      expect(result!.error).toBeInstanceOf(RetriesExhaustedError);
      expect(result!.error).toMatchObject({ retryAfterTooLong: true, attempts: 1, retryAfterMs: outcome.givesUp });
      expect(starts).toEqual([T0]);
      expect(retries).toEqual([]);
    } else {
      expect(retries).toHaveLength(1);
      expect(retries[0]!.delayMs).toBe(outcome.retryAfterMs);
      const finished = await clock.runUntil(() => result !== undefined, T0 + MAX_RETRY_AFTER + 1);
      expect(finished, 'the retry came within maxRetryAfterMs').toBe(true);
      expect(result).toEqual({ value: 'second attempt' });
      expect(starts.map((t) => t - T0)).toEqual([0, outcome.retryAfterMs]);
    }
    expectSaneDelays(clock, MAX_RETRY_AFTER);
  });
});

describe('a wait refused as too long does not come back through another door', () => {
  it('after a 429 whose RateLimit-Reset is 31 years away, the next call on the executor is not held for 31 years', async () => {
    const clock = createRecordingClock(T0);
    const executor = makeExecutor(clock);
    const first = await executor
      .execute(async () => {
        throw res429({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '999999999' });
      })
      .catch((e: unknown) => e);
    expect(first).toMatchObject({ retryAfterTooLong: true });

    let settled = false;
    void executor.execute(() => 'next call').then(
      () => (settled = true),
      () => (settled = true),
    );
    // Runs or is rejected, but within maxRetryAfterMs: never parked on a timer 31 years away.
    const done = await clock.runUntil(() => settled, T0 + MAX_RETRY_AFTER + 1);
    expect(done, `the next call was parked until ${clock.nextDue()! - T0} ms from now`).toBe(true);
    expectSaneDelays(clock, MAX_RETRY_AFTER);
  });

  it.each([
    ['RateLimit-Reset: 100 with nothing remaining', { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '100' }],
    ['a 100 s window used up', { 'RateLimit-Limit': '10', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '100', 'RateLimit-Policy': '10;w=100' }],
    ['Retry-After: 100 with nothing remaining', { 'Retry-After': '100', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '100' }],
  ])('after a 429 (%s) refused under maxRetryAfterMs 5 s, the next call is sent within 5 s, not refused for 100 s', async (_label, headers) => {
    const clock = createRecordingClock(T0);
    const executor = makeExecutor(clock, { maxRetryAfterMs: 5_000 });
    const first = await executor.execute(() => Promise.reject(res429(headers))).catch((e: unknown) => e);
    expect(first).toMatchObject({ retryAfterTooLong: true });

    const sentAt: number[] = [];
    let outcome: unknown;
    void executor
      .execute(async () => {
        sentAt.push(clock.now() - T0);
        return 'sent';
      })
      .then(
        (value) => (outcome = value),
        (error: unknown) => (outcome = error),
      );
    const done = await clock.runUntil(() => outcome !== undefined, T0 + 5_000);

    expect(done, `the next call was held until ${clock.nextDue()! - T0} ms from now`).toBe(true);
    expect(outcome).toBe('sent');
    expect(sentAt).toHaveLength(1);
    expect(sentAt[0]).toBeLessThanOrEqual(5_000);
    expectSaneDelays(clock, 5_000);
  });

  it('a 200 whose X-RateLimit-Reset is an epoch in year 3000 (remaining 0) does not park later calls for centuries', async () => {
    const clock = createRecordingClock(T0);
    const executor = makeExecutor(clock);
    await executor.execute(() => new Response('{}', { status: 200, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '32503680000' } }));
    let settled = false;
    void executor.execute(() => 'next call').then(
      () => (settled = true),
      () => (settled = true),
    );
    const done = await clock.runUntil(() => settled, T0 + MAX_RETRY_AFTER + 1);
    expect(done, `the next call was parked until ${clock.nextDue()! - T0} ms from now`).toBe(true);
  });

  it('a huge Retry-After that opens the circuit does not hold it open for longer than the configured bounds', async () => {
    const clock = createRecordingClock(T0);
    const executor = makeExecutor(clock, { failureThreshold: 1, maxRetries: 0 });
    await executor.execute(async () => Promise.reject(res429({ 'Retry-After': '1000000000000' }))).catch(() => undefined);
    const state = executor.getCircuitState();
    expect(state.state).toBe('open');
    const { maxOpenDurationMs, openDurationMs } = executor.options.circuit;
    const bound = Math.max(maxOpenDurationMs, openDurationMs, executor.options.retry.maxRetryAfterMs);
    expect(state.nextAttemptAt! - state.openedAt!, 'open time').toBeLessThanOrEqual(bound);
  });
});

describe("huge waits and Node's 32-bit timers (real clock, a few ms)", () => {
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('a huge Retry-After that opens the circuit does not make it half-open after 1 ms', async () => {
    const executor = createExecutor({ failureThreshold: 1, maxRetries: 0, retryBudget: false });
    executors.push(executor);
    await executor.execute(async () => Promise.reject(res429({ 'Retry-After': '1000000000000' }))).catch(() => undefined);
    expect(executor.getCircuitState().state).toBe('open');
    await pause(30);
    // Node turns a setTimeout above 2^31-1 ms into 1 ms (TimeoutOverflowWarning): the circuit must still be open.
    expect(executor.getCircuitState().state).toBe('open');
  });

  it('a Retry-After above 2^31-1 ms allowed by maxRetryAfterMs is not retried after 1 ms', async () => {
    const executor = createExecutor({ maxRetryAfterMs: 3e9, maxRetries: 1, retryBudget: false });
    executors.push(executor);
    let attempts = 0;
    const call = executor.execute(async () => {
      attempts++;
      throw res429({ 'Retry-After': '2200000' }); // 2.2e9 ms, above 2^31-1
    });
    call.catch(() => undefined);
    await pause(30);
    expect(attempts, 'the server asked for 25 days; the retry came after a few ms').toBe(1);
  });
});
