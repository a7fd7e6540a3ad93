/**
 * Every option of createExecutor, runBulk, execute(), createPacer and createRetryBudget, with values that make no
 * sense: negative, NaN, Infinity where not meaningful, wrong types, contradictory combinations. Each must throw a
 * `RangeError` (out of range, contradictory) or a `TypeError` (wrong type, unknown option) whose message names the
 * option and shows the value, at construction (or at the call, for execute() and runBulk), never later.
 *
 * The tables are typed `Record<keyof XOptions, …>`, so a new option cannot compile without a row; for createExecutor
 * the list is also checked at run time against the executor's own list of known options.
 */
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { circuitBreakerMachine, retryMachine } from '../../machines/index.js';
import {
  createExecutor,
  createPacer,
  createRetryBudget,
  runBulk,
  type BulkOptions,
  type ExecuteOptions,
  type ExecutorOptions,
  type PacerOptions,
  type RetryBudgetOptions,
} from '../../src/index.js';
import { createRecordingClock, flush } from './support/recordingClock.js';
import { createMemoryStorage, persistCircuit, sharePacerAcrossTabs, type PacerSharing, type PersistOptions } from '../../src/sync/index.js';

type ErrorClass = typeof RangeError | typeof TypeError;

/** One bad value: the error class it must raise, the name the message must quote, and how the value must be shown. */
interface Bad {
  readonly value: unknown;
  readonly kind: ErrorClass;
  /** The quoted name in the message; default the option's own. */
  readonly names?: string;
  /** The value as the message shows it; default as `describeValue` renders it. */
  readonly shows?: string;
}

/** A valid storage, so each `persist` row is refused for its own option only. */
const memory = createMemoryStorage();
const R = (value: unknown, extra: Partial<Bad> = {}): Bad => ({ value, kind: RangeError, ...extra });
const T = (value: unknown, extra: Partial<Bad> = {}): Bad => ({ value, kind: TypeError, ...extra });

/** How option errors render a value (the documented `describeValue` rule), re-stated here so the test is independent. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function label(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // A machine serialises to pages of JSON: a test name shows its start.
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Runs `attempt`; returns what it threw synchronously or rejected with (within a few event-loop turns, no wall-clock
 * wait), or `undefined` when it did neither.
 */
async function captureError(attempt: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = attempt();
  } catch (error) {
    return error;
  }
  if (!(result instanceof Promise)) return undefined;
  let outcome: { error: unknown } | null | undefined;
  result.then(
    () => (outcome = null),
    (error: unknown) => (outcome = { error }),
  );
  for (let i = 0; i < 50 && outcome === undefined; i++) await flush();
  return outcome?.error;
}

function expectNamed(error: unknown, option: string, bad: Bad): void {
  expect(error, error === undefined ? 'no error was raised' : `raised ${String(error)}`).toBeInstanceOf(bad.kind);
  const message = (error as Error).message;
  expect(message).toContain(`"${bad.names ?? option}"`);
  expect(message).toContain(bad.shows ?? shown(bad.value));
}

function rows<K extends string>(table: Record<K, readonly Bad[]>): Array<[K, string, Bad]> {
  return (Object.keys(table) as K[]).flatMap((option) => table[option].map((bad): [K, string, Bad] => [option, label(bad.value), bad]));
}

// ---------------------------------------------------------------------------------------------------------------------
// createExecutor

const count = (extra: Record<string, unknown>): Record<string, unknown> => ({ kind: 'count', size: 5, threshold: 0.5, ...extra });
const time = (extra: Record<string, unknown>): Record<string, unknown> => ({ kind: 'time', windowMs: 1000, threshold: 0.5, ...extra });

const executorTable: Record<keyof ExecutorOptions, readonly Bad[]> = {
  maxRetries: [R(-1), R(1.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), R(101), T('3'), T(null), T(true)],
  initialDelayMs: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('100'), T(null)],
  maxDelayMs: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('1000')],
  backoffMultiplier: [R(0.5), R(0), R(-2), R(Number.NaN), R(Number.POSITIVE_INFINITY), R(101), T('2')],
  jitter: [R('gaussian'), R(''), T(1), T(null), T({})],
  jitterFactor: [R(-0.1), R(1.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('0.2')],
  respectRetryAfter: [T('yes'), T(1), T(null)],
  maxRetryAfterMs: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('120')],
  rateLimitRetries: [R(-1), R(1.5), R(Number.NaN), R(1001), T('20'), T(null)],
  trialTimeoutMs: [R(0), R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('60000'), T(true)],
  failureThreshold: [R(-1), R(2.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('5')],
  failureRate: [
    T('half'),
    T(5),
    T(true),
    T([], { names: 'failureRate.kind', shows: 'undefined' }),
    T({ kind: 'sliding' }, { names: 'failureRate.kind', shows: '"sliding"' }),
    R(count({ size: 0 }), { names: 'failureRate.size', shows: '0' }),
    R(count({ size: Number.NaN }), { names: 'failureRate.size', shows: 'NaN' }),
    R(count({ size: 2.5 }), { names: 'failureRate.size', shows: '2.5' }),
    T(count({ size: undefined }), { names: 'failureRate.size', shows: 'undefined' }),
    R(count({ threshold: 0 }), { names: 'failureRate.threshold', shows: '0' }),
    R(count({ threshold: 1.5 }), { names: 'failureRate.threshold', shows: '1.5' }),
    R(count({ threshold: Number.NaN }), { names: 'failureRate.threshold', shows: 'NaN' }),
    T(count({ threshold: '0.5' }), { names: 'failureRate.threshold', shows: '"0.5"' }),
    R(count({ minimumCalls: 0 }), { names: 'failureRate.minimumCalls', shows: '0' }),
    R(count({ minimumCalls: 6 }), { names: 'failureRate.minimumCalls', shows: '6' }),
    R(time({ windowMs: 0 }), { names: 'failureRate.windowMs', shows: '0' }),
    R(time({ windowMs: Number.POSITIVE_INFINITY }), { names: 'failureRate.windowMs', shows: 'Infinity' }),
    T(time({ windowMs: undefined }), { names: 'failureRate.windowMs', shows: 'undefined' }),
    R(time({ minimumCalls: -1 }), { names: 'failureRate.minimumCalls', shows: '-1' }),
  ],
  openDurationMs: [R(0), R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('1000')],
  openBackoffMultiplier: [R(0), R(0.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), R(101)],
  maxOpenDurationMs: [R(0), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('1')],
  halfOpenMaxCalls: [R(0), R(1.5), R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('1')],
  attemptTimeoutMs: [R(0), R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('100')],
  idempotent: [T(1), T('true'), T(null)],
  shouldRetry: [T(true), T('x'), T({})],
  isFailure: [T(true), T('x'), T({})],
  clock: [T({}), T(null), T('system'), T({ now: () => 0, setTimeout: () => 0 })],
  random: [T(0.5), T('Math.random'), T(null)],
  inspect: [T('yes'), T(5), T(null), T(true)],
  logger: [T({ warn: () => undefined }), T('console'), T(null)],
  pacer: [T(true), T({}), T(null), T('off')],
  retryBudget: [
    T(true),
    T(5),
    T('none'),
    T(null),
    R({ ratio: 2 }, { names: 'ratio', shows: '2' }),
    R({ ratio: -0.1 }, { names: 'ratio', shows: '-0.1' }),
    R({ ratio: Number.NaN }, { names: 'ratio', shows: 'NaN' }),
    R({ burst: -1 }, { names: 'burst', shows: '-1' }),
    R({ burst: Number.POSITIVE_INFINITY }, { names: 'burst', shows: 'Infinity' }),
    T({ ratio: '0.2' }, { names: 'ratio', shows: '"0.2"' }),
  ],
  // A persistence comes from persistCircuit() (its options are checked there, see below); anything else is refused.
  persist: [
    T(true),
    T('localStorage'),
    T(null),
    T({ name: 'api', storage: memory }, { shows: "persistCircuit({ name }) from 'xstate-circuit-breaker/persist'" }),
  ],
  machines: [
    T('circuitBreaker'),
    T(null),
    T({ circut: circuitBreakerMachine }, { names: 'machines.circut', shows: 'Known options' }),
    T({ circuit: retryMachine }, { names: 'machines.circuit', shows: 'an object' }),
    T({ retry: circuitBreakerMachine.provide({}) }, { names: 'machines.retry', shows: 'an object' }),
    // A machine with the same id but its own graph is not one the executor can run.
    T({ circuit: createMachine({ id: 'circuitBreaker' }) }, { names: 'machines.circuit', shows: 'an object' }),
    T({ retry: { provide: () => undefined } }, { names: 'machines.retry', shows: 'an object' }),
  ],
};

function knownExecutorOptions(): string[] {
  const message = (() => {
    try {
      createExecutor({ __not_an_option__: 1 } as ExecutorOptions);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  })();
  const list = /Known options: (.*)\.$/.exec(message);
  expect(list, `the unknown-option message lists the known options: ${message}`).not.toBeNull();
  return list![1]!.split(', ');
}

describe('createExecutor options', () => {
  it('every option the executor knows has rows in this table, and every row is an option it knows', () => {
    const known = knownExecutorOptions();
    expect(known.length).toBeGreaterThan(20);
    expect(Object.keys(executorTable).sort()).toEqual([...known].sort());
    for (const option of known) expect(executorTable[option as keyof ExecutorOptions].length, option).toBeGreaterThan(0);
  });

  it.each(rows(executorTable))('%s = %s', (option, _label, bad) => {
    const error = (() => {
      try {
        createExecutor({ [option]: bad.value } as ExecutorOptions);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expectNamed(error, option, bad);
  });

  it.each([
    ['initialDelayMs 500 with maxDelayMs 100', { initialDelayMs: 500, maxDelayMs: 100 }, 'maxDelayMs', '100'],
    ['openDurationMs 5000 with maxOpenDurationMs 1000', { openDurationMs: 5000, maxOpenDurationMs: 1000 }, 'maxOpenDurationMs', '1000'],
    ['failureThreshold 0 without a failureRate', { failureThreshold: 0 }, 'failureThreshold', '0'],
    ['failureRate.minimumCalls above failureRate.size', { failureRate: { kind: 'count', size: 3, threshold: 0.5, minimumCalls: 4 } }, 'failureRate.minimumCalls', '4'],
  ] as const)('contradiction: %s → RangeError naming the option', (_name, options, option, value) => {
    const attempt = (): unknown => createExecutor(options as ExecutorOptions);
    expect(attempt).toThrow(RangeError);
    expect(attempt).toThrow(`"${option}"`);
    expect(attempt).toThrow(value);
  });

  it('a large initialDelayMs alone is not a contradiction: maxDelayMs follows it', () => {
    expect(createExecutor({ initialDelayMs: 20_000 }).options.retry.maxDelayMs).toBe(20_000);
  });

  it.each([null, 'fast', 42])('options = %s → TypeError naming "options"', (value) => {
    expect(() => createExecutor(value as never)).toThrow(TypeError);
    expect(() => createExecutor(value as never)).toThrow('"options"');
  });

  it('an unknown option (a typo) → TypeError naming it', () => {
    expect(() => createExecutor({ maxRetry: 3 } as ExecutorOptions)).toThrow(TypeError);
    expect(() => createExecutor({ maxRetry: 3 } as ExecutorOptions)).toThrow('"maxRetry"');
  });

  it.each([
    ['NaN', () => Number.NaN],
    ['5', () => 5],
    ['-1', () => -1],
    ['Infinity', () => Number.POSITIVE_INFINITY],
  ])('random() returning %s still gives a finite back-off within [0, maxDelayMs]', async (_name, random) => {
    for (const jitter of ['none', 'proportional', 'full', 'equal', 'decorrelated'] as const) {
      const clock = createRecordingClock();
      const executor = createExecutor({ clock, random, jitter, maxRetries: 2, initialDelayMs: 100, maxDelayMs: 1000, pacer: false, retryBudget: false });
      const delays: number[] = [];
      const call = executor
        .execute(async () => Promise.reject(Object.assign(new Error('HTTP 429'), { status: 429 })), { onRetry: (r) => delays.push(r.delayMs) })
        .catch(() => undefined);
      await clock.runUntil(() => delays.length === 2, clock.now() + 5000);
      executor.stop();
      await call;
      expect(delays.length, jitter).toBe(2);
      for (const delay of [...delays, ...clock.requested]) {
        expect(Number.isFinite(delay), `${jitter}: ${delay}`).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(1000);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// persistCircuit (xstate-circuit-breaker/persist): the options of `persist`, named as `persist.<option>`

const persistTable: Record<string, readonly Bad[]> = {
  persist: [
    T({}, { names: 'persist.name', shows: 'undefined' }),
    R({ name: '' }, { names: 'persist.name', shows: '""' }),
    R({ name: 'x'.repeat(201) }, { names: 'persist.name', shows: 'x'.repeat(201) }),
    // Node has no localStorage: the storage must be passed.
    T({ name: 'api' }, { names: 'persist.storage', shows: 'localStorage' }),
    T({ name: 'api', storage: {} }, { names: 'persist.storage', shows: 'an object' }),
    T({ name: 'api', storage: memory, shareAcrossTabs: 'yes' }, { names: 'persist.shareAcrossTabs', shows: '"yes"' }),
    T({ name: 'api', storage: memory, createChannel: 'bc' }, { names: 'persist.createChannel', shows: '"bc"' }),
    T({ name: 'api', storage: memory, locks: {} }, { names: 'persist.locks', shows: 'an object' }),
    R({ name: 'api', storage: memory, trialLeaseMs: 0 }, { names: 'persist.trialLeaseMs', shows: '0' }),
    R({ name: 'api', storage: memory, trialLeaseMs: Number.NaN }, { names: 'persist.trialLeaseMs', shows: 'NaN' }),
    T({ name: 'api', storage: memory, trialLeaseMs: '5000' }, { names: 'persist.trialLeaseMs', shows: '"5000"' }),
    T({ name: 'api', storage: memory, nmae: 'typo' }, { names: 'persist.nmae', shows: 'Known options' }),
  ],
};

describe('persistCircuit options', () => {
  it.each(rows(persistTable))('%s = %s', async (_option, _label, bad) => {
    expectNamed(await captureError(() => persistCircuit(bad.value as PersistOptions)), 'persist', bad);
  });
});

describe("durations Node's setTimeout cannot wait (above 2^31-1 ms): rejected at construction, or honoured", () => {
  const OVER = 2 ** 31;
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  /** Creates the executor, or checks that refusing it names the option and the value. */
  function createOrRefuse(options: ExecutorOptions, option: string): ReturnType<typeof createExecutor> | null {
    try {
      return createExecutor(options);
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain(`"${option}"`);
      return null;
    }
  }

  it('openDurationMs: 2^31 does not half-open the circuit after 1 ms', async () => {
    const executor = createOrRefuse({ openDurationMs: OVER, failureThreshold: 1 }, 'openDurationMs');
    if (executor === null) return;
    await executor.execute(async () => Promise.reject(Object.assign(new Error('HTTP 500'), { status: 500 }))).catch(() => undefined);
    await pause(30);
    const state = executor.getCircuitState().state;
    executor.stop();
    expect(state).toBe('open');
  });

  it('attemptTimeoutMs: 2^31 does not time every attempt out after 1 ms', async () => {
    const executor = createOrRefuse({ attemptTimeoutMs: OVER }, 'attemptTimeoutMs');
    if (executor === null) return;
    const result = await executor.execute(() => pause(30).then(() => 'answered')).catch((e: unknown) => e);
    executor.stop();
    expect(result).toBe('answered');
  });

  it('initialDelayMs: 2^31 does not retry after 1 ms', async () => {
    const executor = createOrRefuse({ initialDelayMs: OVER, maxRetries: 1, jitter: 'none', retryBudget: false }, 'initialDelayMs');
    if (executor === null) return;
    let attempts = 0;
    const call = executor
      .execute(async () => {
        attempts++;
        throw Object.assign(new Error('HTTP 429'), { status: 429 });
      })
      .catch(() => undefined);
    await pause(30);
    executor.stop();
    await call;
    expect(attempts).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// execute(operation, options)

const executeTable: Record<keyof ExecuteOptions, readonly Bad[]> = {
  signal: [T({}), T('abort'), T(true)],
  idempotent: [T('yes'), T(1)],
  // Any value is a valid context: it is only passed to the logger.
  context: [],
  onRetry: [T('log'), T({})],
  beforeRetry: [T('wait'), T({})],
};

describe('execute() options', () => {
  it.each(rows(executeTable))('%s = %s → a rejected call naming the option', async (option, _label, bad) => {
    const executor = createExecutor({ clock: createRecordingClock(), maxRetries: 1, initialDelayMs: 1 });
    // A 429 on the first attempt, so that onRetry would be reached.
    const error = await captureError(() =>
      executor.execute(async ({ attempt }) => (attempt === 1 ? Promise.reject(Object.assign(new Error('HTTP 429'), { status: 429 })) : 'ok'), {
        [option]: bad.value,
      } as ExecuteOptions),
    );
    executor.stop();
    expectNamed(error, option, bad);
  });

  it('an unknown execute() option (a typo) rejects the call naming it and the known ones', async () => {
    const executor = createExecutor({ clock: createRecordingClock() });
    let ran = false;
    const error = await captureError(() => executor.execute(() => (ran = true), { idempotnet: true } as unknown as ExecuteOptions));
    executor.stop();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('"idempotnet"');
    expect((error as Error).message).toContain('idempotent');
    expect(ran).toBe(false);
  });

  it('options whose getter throws reject the call; execute() itself never throws', async () => {
    const executor = createExecutor({ clock: createRecordingClock() });
    const hostile = Object.defineProperty({}, 'signal', {
      enumerable: true,
      get() {
        throw new Error('getter boom');
      },
    }) as ExecuteOptions;
    let returned: Promise<unknown> | undefined;
    expect(() => (returned = executor.execute(() => 'ok', hostile))).not.toThrow();
    await expect(returned).rejects.toThrow('getter boom');
    executor.stop();
  });

  it('a bad signal on a half-open circuit does not keep the trial slot (the circuit must not stick in halfOpen)', async () => {
    const clock = createRecordingClock();
    const executor = createExecutor({ clock, failureThreshold: 1, openDurationMs: 10, pacer: false });
    await executor.execute(async () => Promise.reject(Object.assign(new Error('HTTP 500'), { status: 500 }))).catch(() => undefined);
    await clock.advance(10);
    expect(executor.getCircuitState().state).toBe('halfOpen');
    await captureError(() => executor.execute(() => 'x', { signal: {} as AbortSignal }));
    await flush();
    expect(executor.getCircuitState()).toMatchObject({ state: 'halfOpen', trialsInFlight: 0 });
    await expect(executor.execute(() => 'next trial')).resolves.toBe('next trial');
    executor.stop();
  });

  it('a bad argument makes execute() return a rejected promise, never throw synchronously', () => {
    const executor = createExecutor();
    let thrown: unknown;
    let returned: unknown;
    try {
      returned = executor.execute(() => 1, { signal: {} as AbortSignal });
    } catch (error) {
      thrown = error;
    }
    (returned as Promise<unknown> | undefined)?.catch(() => undefined);
    executor.stop();
    expect(thrown, 'execute() threw synchronously').toBeUndefined();
    expect(returned).toBeInstanceOf(Promise);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// runBulk

const bulkTable: Record<keyof BulkOptions, readonly Bad[]> = {
  executor: [T({}), T('default'), T(42)],
  concurrency: [R(0), R(-1), R(1.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('5')],
  signal: [T({}), T('abort')],
  onProgress: [T('log'), T({})],
  idempotent: [T('yes'), T(1)],
  onCircuitOpen: [R('retry'), R(''), T(true), T(1)],
  maxCircuitWaitMs: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('60000')],
};

describe('runBulk options', () => {
  it.each(rows(bulkTable))('%s = %s', async (option, _label, bad) => {
    const error = await captureError(() => runBulk([1, 2], async (n) => n, { [option]: bad.value } as BulkOptions));
    expectNamed(error, option, bad);
  });

  it('an unknown option (a typo) → TypeError naming it', async () => {
    const error = await captureError(() => runBulk([1], async (n) => n, { concurency: 3 } as BulkOptions));
    expect(error, 'the typo was silently ignored').toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain('"concurency"');
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// createPacer and createRetryBudget

const pacerTable: Record<keyof PacerOptions, readonly Bad[]> = {
  headroom: [R(0), R(1.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('0.9'), T(null)],
  decrease: [R(0), R(2), R(Number.NaN), T('0.5')],
  increasePerSecond: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('2')],
  minRatePerSecond: [R(0), R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('1')],
  initialRatePerSecond: [R(-1), R(0), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('10')],
  adaptiveBurst: [R(0), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('1')],
  maxWaitMs: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('60000')],
  clock: [T({}), T('system'), T({ now: () => 0 })],
  random: [T(0.5), T('Math.random')],
  // A link comes from sharePacerAcrossTabs() (its options are checked there, see below); anything else is refused.
  shareAcrossTabs: [T('api'), T(true), T({ name: 'api' }, { shows: "sharePacerAcrossTabs({ name }) from 'xstate-circuit-breaker/persist'" })],
};

/** sharePacerAcrossTabs (xstate-circuit-breaker/persist): its options, named as `shareAcrossTabs.<option>`. */
const pacerSharingTable: Record<string, readonly Bad[]> = {
  shareAcrossTabs: [
    T('api'),
    T({}, { names: 'shareAcrossTabs.name', shows: 'undefined' }),
    T({ name: '' }, { names: 'shareAcrossTabs.name', shows: '""' }),
    T({ name: 'api', createChannel: 5 }, { names: 'shareAcrossTabs.createChannel', shows: '5' }),
  ],
};

const budgetTable: Record<keyof RetryBudgetOptions, readonly Bad[]> = {
  ratio: [R(-0.1), R(1.5), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('0.2')],
  burst: [R(-1), R(Number.NaN), R(Number.POSITIVE_INFINITY), T('10')],
};

describe('createPacer options', () => {
  it.each(rows(pacerTable))('%s = %s', async (option, _label, bad) => {
    const error = await captureError(() => createPacer({ [option]: bad.value } as PacerOptions));
    expectNamed(error, option, bad);
  });

  it('contradiction: initialRatePerSecond below minRatePerSecond → RangeError naming initialRatePerSecond', () => {
    const attempt = (): unknown => createPacer({ minRatePerSecond: 2, initialRatePerSecond: 1 });
    expect(attempt).toThrow(RangeError);
    expect(attempt).toThrow('"initialRatePerSecond"');
  });

  it.each([null, 'fast', 5])('options = %s → TypeError', (value) => {
    expect(() => createPacer(value as never)).toThrow(TypeError);
  });

  it('an unknown option (a typo) → TypeError naming it', () => {
    const attempt = (): unknown => createPacer({ headrom: 0.5 } as PacerOptions);
    expect(attempt, 'the typo was silently ignored').toThrow(TypeError);
    expect(attempt).toThrow('"headrom"');
  });
});

describe('sharePacerAcrossTabs options', () => {
  it.each(rows(pacerSharingTable))('%s = %s', async (option, _label, bad) => {
    expectNamed(await captureError(() => sharePacerAcrossTabs(bad.value as PacerSharing)), option, bad);
  });
});

describe('createRetryBudget options', () => {
  it.each(rows(budgetTable))('%s = %s', async (option, _label, bad) => {
    const error = await captureError(() => createRetryBudget({ [option]: bad.value } as RetryBudgetOptions));
    expectNamed(error, option, bad);
  });

  it.each([null, 'fast', 5])('options = %s → TypeError that says which function got it', (value) => {
    const attempt = (): unknown => createRetryBudget(value as never);
    expect(attempt).toThrow(TypeError);
    expect(attempt).toThrow(/retry budget|createRetryBudget/);
  });

  it('an unknown option (a typo) → TypeError naming it', () => {
    const attempt = (): unknown => createRetryBudget({ ration: 0.1 } as RetryBudgetOptions);
    expect(attempt, 'the typo was silently ignored').toThrow(TypeError);
    expect(attempt).toThrow('"ration"');
  });
});
