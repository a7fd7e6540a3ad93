import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, type Actor } from 'xstate';
import { createTestModel, serializeSnapshot, type TestParam, type TestPath } from 'xstate/graph';
import { retryMachine, type RetryPolicy } from '../../machines/retry.machine.js';
import {
  expectedBackoffMs,
  MODEL_RETRY_POLICY,
  RANDOM_DRAW,
  RETRY_AFTER,
  retryModel,
  type FailureKind,
  type RetryModelEvent,
  type RetryModelEventType,
  type RetryModelSnapshot,
  type RetryModelState,
} from './models/retry.model.js';
import { createEdgeCoverage, edgeName } from './support/edgeCoverage.js';

const coverage = createEdgeCoverage(retryMachine);
const AFTER_RETRY = 'xstate.after.retryDelay.retry.backingOff';

type RetryActor = Actor<typeof retryMachine>;

function startRetry(policy: Partial<RetryPolicy>, sink?: () => string[] | undefined) {
  const clock = new SimulatedClock();
  clock.set(50_000);
  const actor = createActor(retryMachine, { clock, input: { policy }, inspect: coverage.recorder(sink) });
  actor.start();
  return { clock, actor };
}

/** One error object per kind of failure, so the test can check which one the machine kept. */
const ERRORS: Record<FailureKind, Error> = {
  fatal: new Error('400 Bad Request'),
  plain: new Error('503 Service Unavailable'),
  ra: new Error('429 Retry-After: 0.7'),
  atMax: new Error('429 Retry-After: 5'),
  tooLong: new Error('429 Retry-After: 6'),
  noBudget: new Error('503 (retry budget spent)'),
  paced: new Error('429 (the server serves others)'),
};
const ABORT_REASON = new Error('caller aborted');

interface Harness {
  clock: SimulatedClock;
  actor: RetryActor;
  model: RetryModelSnapshot | undefined;
  stepEdges: string[] | undefined;
}

function createHarness(): Harness {
  const harness = { model: undefined, stepEdges: undefined } as Harness;
  Object.assign(harness, startRetry(MODEL_RETRY_POLICY, () => harness.stepEdges));
  return harness;
}

const failed = (
  h: Harness,
  kind: FailureKind,
  retryable: boolean,
  retryAfterMs: number | null,
  budgetAllows?: boolean,
  paced?: boolean,
): void =>
  h.actor.send({
    type: 'FAILED',
    error: ERRORS[kind],
    retryable,
    retryAfterMs,
    random: RANDOM_DRAW,
    ...(budgetAllows === undefined ? {} : { budgetAllows }),
    ...(paced === undefined ? {} : { paced }),
  });

const act: Record<RetryModelEventType, (h: Harness, model: RetryModelSnapshot) => void> = {
  SUCCEEDED: (h) => h.actor.send({ type: 'SUCCEEDED' }),
  FAILED_FATAL: (h) => failed(h, 'fatal', false, RETRY_AFTER.fatal),
  FAILED: (h) => failed(h, 'plain', true, null),
  FAILED_NO_BUDGET: (h) => failed(h, 'noBudget', true, null, false),
  FAILED_PACED: (h) => failed(h, 'paced', true, null, undefined, true),
  FAILED_RETRY_AFTER: (h) => failed(h, 'ra', true, RETRY_AFTER.ra),
  FAILED_RETRY_AFTER_AT_MAX: (h) => failed(h, 'atMax', true, RETRY_AFTER.atMax),
  FAILED_RETRY_AFTER_TOO_LONG: (h) => failed(h, 'tooLong', true, RETRY_AFTER.tooLong),
  ABORT: (h) => h.actor.send({ type: 'ABORT', reason: ABORT_REASON }),
  BACKOFF_ELAPSED: (h, model) => {
    // The retry timer fires exactly at delayMs: one millisecond before, the loop is still backing off.
    const delay = model.context.delayMs;
    if (delay > 0) {
      h.clock.increment(delay - 1);
      expect(h.actor.getSnapshot().value, `still backing off 1 ms before ${delay} ms`).toBe('backingOff');
      expect(h.stepEdges).toEqual([]);
    }
    h.clock.increment(delay === 0 ? 0 : 1);
  },
};

function expectedEdge(prev: RetryModelSnapshot, type: RetryModelEventType, next: RetryModelSnapshot): string | null {
  const from = prev.value as RetryModelState;
  const to = next.value as RetryModelState;
  const edge = (event: string, guard?: string): string => edgeName(`retry.${from}`, event, `retry.${to}`, guard);
  if (from === 'attempting') {
    switch (type) {
      case 'SUCCEEDED':
        return edge('SUCCEEDED');
      case 'ABORT':
        return edge('ABORT');
      case 'FAILED_FATAL':
        return edge('FAILED', 'isNotRetryable');
      case 'FAILED_RETRY_AFTER_TOO_LONG':
        return edge('FAILED', 'retryAfterTooLong');
      default:
        if (to !== 'backingOff') return edge('FAILED');
        return next.context.paced > prev.context.paced ? edge('FAILED', 'isPacedRateLimit') : edge('FAILED', 'and(hasRetriesLeft, budgetAllows)');
    }
  }
  if (from === 'backingOff') {
    if (type === 'BACKOFF_ELAPSED') return edge(AFTER_RETRY);
    if (type === 'ABORT') return edge('ABORT');
  }
  return null;
}

function executor(type: RetryModelEventType) {
  return (h: Harness) =>
    ({ state: next }: { state: RetryModelSnapshot }): void => {
      const prev = h.model;
      if (prev === undefined) throw new Error('no model state checked before the first event');
      expect(prev.can({ type } as RetryModelEvent), `the model accepts ${type} in ${String(prev.value)}`).toBe(true);
      h.stepEdges = [];
      act[type](h, prev);
      const expected = expectedEdge(prev, type, next);
      expect(h.stepEdges, `real edges taken by ${type} in ${String(prev.value)}`).toEqual(expected === null ? [] : [expected]);
      h.stepEdges = undefined;
    };
}

function checkState(h: Harness, model: RetryModelSnapshot): void {
  const snapshot = h.actor.getSnapshot();
  const m = model.context;
  const final = model.value !== 'attempting' && model.value !== 'backingOff';
  expect(snapshot.value).toBe(model.value);
  expect(snapshot.status).toBe(final ? 'done' : 'active');
  expect({
    attempt: snapshot.context.attempt,
    retries: snapshot.context.retries,
    rateLimitRetries: snapshot.context.rateLimitRetries,
    lastError: snapshot.context.lastError,
    lastRetryAfterMs: snapshot.context.lastRetryAfterMs,
    abortReason: snapshot.context.abortReason,
  }).toEqual({
    attempt: m.attempt,
    retries: m.retries,
    rateLimitRetries: m.paced,
    lastError: m.lastFailure === null ? undefined : ERRORS[m.lastFailure],
    lastRetryAfterMs: m.lastRetryAfterMs,
    abortReason: model.value === 'aborted' ? ABORT_REASON : undefined,
  });
  if (model.value === 'backingOff') {
    expect(snapshot.context.delayMs).toBe(m.delayMs);
    expect(snapshot.context.delayMs).toBeGreaterThanOrEqual(m.lastRetryAfterMs ?? 0);
  }
  h.model = model;
}

const EVENT_TYPES = Object.keys(act) as RetryModelEventType[];

function params(h: Harness): TestParam<RetryModelSnapshot, RetryModelEvent> {
  const check = (model: RetryModelSnapshot): void => checkState(h, model);
  return {
    states: { attempting: check, backingOff: check, succeeded: check, exhausted: check, rejected: check, aborted: check },
    events: Object.fromEntries(EVENT_TYPES.map((type) => [type, executor(type)(h)])),
  };
}

const describePath = (path: TestPath<RetryModelSnapshot, RetryModelEvent>): string =>
  path.steps
    .slice(1)
    .map((step) => step.event.type)
    .join(' → ') || '(initial state)';

const model = createTestModel(retryModel, {
  filterEvents: (state, event) => state.can(event),
  serializeTransition: (_state, event, prev) =>
    event === undefined || prev === undefined ? '' : ` via ${event.type} from ${serializeSnapshot(prev)}`,
});

const scenario = (events: RetryModelEventType[]): TestPath<RetryModelSnapshot, RetryModelEvent> => {
  const [path] = model.getPathsFromEvents(events.map((type) => ({ type }) as RetryModelEvent));
  if (path === undefined) throw new Error(`no model path for ${events.join(' → ')}`);
  return path;
};

describe('retryMachine against its model: every model transition (shortest paths)', () => {
  const paths = model.getShortestPaths();
  it('generates a path for every transition of the model', () => {
    expect(paths.length).toBeGreaterThan(20);
  });
  for (const path of paths) {
    it(describePath(path), () => path.test(params(createHarness())));
  }
});

describe('retryMachine against its model: every simple path through its states', () => {
  // Without the transition in the state key, a simple path visits each model state at most once.
  const paths = model.getSimplePaths({ serializeState: (state) => serializeSnapshot(state) });
  it('generates simple paths through every state to every ending', () => {
    const endings = new Set(paths.map((path) => String(path.state.value)));
    const visited = new Set(paths.flatMap((path) => path.steps.map((step) => String(step.state.value))));
    expect([...endings].sort()).toEqual(['aborted', 'exhausted', 'rejected', 'succeeded']);
    expect([...visited].sort()).toEqual(['aborted', 'attempting', 'backingOff', 'exhausted', 'rejected', 'succeeded']);
  });
  for (const path of paths) {
    it(describePath(path), () => path.test(params(createHarness())));
  }
});

describe('retryMachine against its model: named behaviours', () => {
  it('a non-retryable error is rejected at once, even with a long Retry-After', () =>
    scenario(['FAILED_FATAL']).test(params(createHarness())));

  it('a retryable error with retries left backs off for max(back-off, Retry-After)', () =>
    scenario(['FAILED_RETRY_AFTER', 'BACKOFF_ELAPSED', 'FAILED', 'BACKOFF_ELAPSED', 'SUCCEEDED']).test(params(createHarness())));

  it('out of retries (3 attempts) the loop is exhausted', () =>
    scenario(['FAILED', 'BACKOFF_ELAPSED', 'FAILED', 'BACKOFF_ELAPSED', 'FAILED']).test(params(createHarness())));

  it('a Retry-After above maxRetryAfterMs exhausts at once; one exactly at it is waited for', () =>
    scenario(['FAILED_RETRY_AFTER_AT_MAX', 'BACKOFF_ELAPSED', 'FAILED_RETRY_AFTER_TOO_LONG']).test(params(createHarness())));

  it('a 429 while the server serves others retries for free: it neither counts against maxRetries nor grows the back-off', () =>
    scenario(['FAILED', 'BACKOFF_ELAPSED', 'FAILED_PACED', 'BACKOFF_ELAPSED', 'FAILED', 'BACKOFF_ELAPSED', 'FAILED_PACED']).test(
      params(createHarness()),
    ));

  it('ABORT from attempting and from backingOff ends in aborted', async () => {
    await scenario(['ABORT']).test(params(createHarness()));
    await scenario(['FAILED', 'SUCCEEDED', 'FAILED_FATAL', 'ABORT']).test(params(createHarness()));
  });
});

describe('retryMachine: behaviours outside the model', () => {
  const fail = (actor: RetryActor, retryAfterMs: number | null, random = 0.5): void =>
    actor.send({ type: 'FAILED', error: new Error('503'), retryable: true, retryAfterMs, random });

  it('the back-off timer fires exactly at delayMs: delayMs - 1 still backing off, +1 attempting with attempt + 1', () => {
    const { actor, clock } = startRetry({ jitter: 'none', initialDelayMs: 250 });
    fail(actor, null);
    expect(actor.getSnapshot().context.delayMs).toBe(250);
    clock.increment(249);
    expect(actor.getSnapshot().value).toBe('backingOff');
    clock.increment(1);
    expect(actor.getSnapshot()).toMatchObject({ value: 'attempting', context: { attempt: 2 } });
  });

  it('without respectRetryAfter the server wait neither lengthens the back-off nor exhausts the loop', () => {
    const { actor } = startRetry({ jitter: 'none', respectRetryAfter: false, maxRetryAfterMs: 1_000 });
    fail(actor, 60_000);
    expect(actor.getSnapshot()).toMatchObject({ value: 'backingOff', context: { delayMs: 100, lastRetryAfterMs: 60_000 } });
  });

  it('maxRetries 0 exhausts on the first retryable failure', () => {
    const { actor } = startRetry({ maxRetries: 0 });
    fail(actor, null);
    expect(actor.getSnapshot()).toMatchObject({ value: 'exhausted', status: 'done', context: { attempt: 1 } });
  });

  it('a zero back-off still passes through backingOff and retries on the next clock tick', () => {
    const { actor, clock } = startRetry({ jitter: 'full' });
    fail(actor, null, 0);
    expect(actor.getSnapshot()).toMatchObject({ value: 'backingOff', context: { delayMs: 0 } });
    clock.increment(0);
    expect(actor.getSnapshot()).toMatchObject({ value: 'attempting', context: { attempt: 2 } });
  });

  it('decorrelated jitter grows from the previous delay (up to 3×) and stays under maxDelayMs', () => {
    const { actor, clock } = startRetry({ jitter: 'decorrelated', maxRetries: 5, initialDelayMs: 100, maxDelayMs: 1_000 });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      fail(actor, null, 0.999_999);
      delays.push(actor.getSnapshot().context.delayMs);
      clock.increment(actor.getSnapshot().context.delayMs);
    }
    expect(delays).toEqual([300, 900, 1_000, 1_000, 1_000]);
  });

  it('decorrelated jitter spreads the first retry too: simultaneous callers do not all wait exactly the base', () => {
    const firstDelays = [0, 0.25, 0.5, 0.75, 0.999].map((random) => {
      const { actor } = startRetry({ jitter: 'decorrelated', initialDelayMs: 100, maxDelayMs: 10_000 });
      fail(actor, null, random);
      return actor.getSnapshot().context.delayMs;
    });
    expect(firstDelays).toEqual([100, 150, 200, 250, 300]);
  });

  it('free 429 retries stop at rateLimitRetries; the next 429 counts against maxRetries', () => {
    const { actor, clock } = startRetry({ jitter: 'none', maxRetries: 1, rateLimitRetries: 2 });
    const paced = (): void =>
      actor.send({ type: 'FAILED', error: new Error('429'), retryable: true, retryAfterMs: null, random: 0.5, paced: true });
    paced();
    expect(actor.getSnapshot().context).toMatchObject({ retryKind: 'paced', delayMs: 0, rateLimitRetries: 1, retries: 0 });
    clock.increment(0);
    paced();
    clock.increment(0);
    paced(); // free retries spent: this one is the one counted retry, with the first back-off step
    expect(actor.getSnapshot().context).toMatchObject({ retryKind: 'budgeted', delayMs: 100, rateLimitRetries: 2, retries: 1 });
    clock.increment(100);
    paced();
    expect(actor.getSnapshot()).toMatchObject({ value: 'exhausted', context: { attempt: 4 } });
  });

  it('a paced retry waits the server’s Retry-After when it gave one', () => {
    const { actor } = startRetry({ jitter: 'none' });
    actor.send({ type: 'FAILED', error: new Error('429'), retryable: true, retryAfterMs: 1_500, random: 0.5, paced: true });
    expect(actor.getSnapshot().context).toMatchObject({ retryKind: 'paced', delayMs: 1_500 });
  });
});

describe('edge coverage of the real retryMachine', () => {
  it('every edge of toDirectedGraph(retryMachine) was taken by some test above', () => {
    const missing = coverage.missing();
    expect(missing, `missing edges:\n${missing.join('\n')}`).toEqual([]);
    expect(coverage.all.length).toBe(9);
  });
});
