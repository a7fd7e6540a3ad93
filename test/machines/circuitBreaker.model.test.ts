import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, type Actor } from 'xstate';
import { createTestModel, serializeSnapshot, type TestParam, type TestPath } from 'xstate/graph';
import { circuitBreakerMachine, type CircuitPolicy } from '../../machines/circuitBreaker.machine.js';
import {
  ADOPTED_DURATION_MS,
  ADOPTED_ELAPSED_MS,
  ADOPTED_LONG_AGO_MS,
  ADOPTED_REOPENS,
  circuitBreakerModel,
  elapsedOpenMs,
  expectedOpenDurationMs,
  MODEL_POLICY,
  RETRY_AFTER_MS,
  STALE_RETRY_AFTER_MS,
  TRIAL_TIMEOUT_MS,
  trailingFailures,
  type CircuitModelEvent,
  type CircuitModelEventType,
  type CircuitModelSnapshot,
  type CircuitModelState,
} from './models/circuitBreaker.model.js';
import { createEdgeCoverage, edgeName } from './support/edgeCoverage.js';

const coverage = createEdgeCoverage(circuitBreakerMachine);
const START_MS = 10_000;
const AFTER_OPEN = 'xstate.after.openDuration.circuitBreaker.open';

type CircuitActor = Actor<typeof circuitBreakerMachine>;

/** A real circuit on a SimulatedClock; every transition it takes is recorded for the edge coverage. */
function startCircuit(policy: Partial<CircuitPolicy>, sink?: () => string[] | undefined) {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const actor = createActor(circuitBreakerMachine, { clock, input: { policy }, inspect: coverage.recorder(sink) });
  actor.start();
  return { clock, actor };
}

const epochOf = (actor: CircuitActor): number => actor.getSnapshot().context.epoch;

// ---------------------------------------------------------------------------------------------------------------------
// The harness: one real actor per test path, driven by the model's events.

interface Harness {
  clock: SimulatedClock;
  actor: CircuitActor;
  /** The model state the real actor is known to be in (set by the state checks). */
  model: CircuitModelSnapshot | undefined;
  /** Real edges taken by the step being executed. */
  stepEdges: string[] | undefined;
  /** When the first ISOLATE of the current isolation arrived. */
  isolatedAt: number | null;
  /** The `admitted` events the real actor has emitted. */
  admitted: number;
}

function createHarness(): Harness {
  const harness: Harness = { model: undefined, stepEdges: undefined, isolatedAt: null, admitted: 0 } as Harness;
  Object.assign(harness, startCircuit(MODEL_POLICY, () => harness.stepEdges));
  harness.actor.on('admitted', () => {
    harness.admitted++;
  });
  return harness;
}

/** The model's adopted opening (2 s long, one re-open), begun `agoMs` before now. */
function adoptOpening(h: Harness, agoMs: number): void {
  const at = h.clock.now();
  h.actor.send({ type: 'ADOPT_OPEN', at, openedAt: at - agoMs, openDurationMs: ADOPTED_DURATION_MS, reopenCount: ADOPTED_REOPENS });
}

/** The real event (or clock movement) behind each model event. */
const act: Record<CircuitModelEventType, (h: Harness, model: CircuitModelSnapshot) => void> = {
  SUCCESS: (h) => h.actor.send({ type: 'SUCCESS', at: h.clock.now(), epoch: epochOf(h.actor) }),
  SUCCESS_STALE: (h) => h.actor.send({ type: 'SUCCESS', at: h.clock.now(), epoch: epochOf(h.actor) - 1 }),
  FAILURE: (h) => h.actor.send({ type: 'FAILURE', at: h.clock.now(), epoch: epochOf(h.actor), retryAfterMs: null }),
  FAILURE_RA: (h) =>
    h.actor.send({ type: 'FAILURE', at: h.clock.now(), epoch: epochOf(h.actor), retryAfterMs: RETRY_AFTER_MS }),
  FAILURE_STALE: (h) =>
    h.actor.send({ type: 'FAILURE', at: h.clock.now(), epoch: epochOf(h.actor) - 1, retryAfterMs: STALE_RETRY_AFTER_MS }),
  IGNORED: (h) => h.actor.send({ type: 'IGNORED', epoch: epochOf(h.actor) }),
  IGNORED_STALE: (h) => h.actor.send({ type: 'IGNORED', epoch: epochOf(h.actor) - 1 }),
  TRY_ACQUIRE: (h) => h.actor.send({ type: 'TRY_ACQUIRE' }),
  TRY_ACQUIRE_RETRY: (h) => h.actor.send({ type: 'TRY_ACQUIRE', epoch: epochOf(h.actor) }),
  RESET: (h) => h.actor.send({ type: 'RESET' }),
  ISOLATE: (h) => h.actor.send({ type: 'ISOLATE', at: h.clock.now() }),
  RELEASE: (h) => h.actor.send({ type: 'RELEASE' }),
  END_ISOLATION: (h) => h.actor.send({ type: 'END_ISOLATION' }),
  TRIAL_TIMEOUT: (h) => {
    // The period starts again exactly when the trial timeout is over, not a millisecond earlier.
    const epoch = epochOf(h.actor);
    h.clock.increment(TRIAL_TIMEOUT_MS - 1);
    expect(epochOf(h.actor), 'the same half-open period 1 ms before the trial timeout').toBe(epoch);
    expect(h.stepEdges).toEqual([]);
    h.clock.increment(1);
  },
  ADOPT_OPEN: (h) => adoptOpening(h, ADOPTED_ELAPSED_MS),
  ADOPT_OPEN_ELAPSED: (h) => adoptOpening(h, ADOPTED_LONG_AGO_MS),
  ADOPT_CLOSED: (h) => h.actor.send({ type: 'ADOPT_CLOSED' }),
  OPEN_PARTIAL: (h, model) => h.clock.increment(Math.floor(expectedOpenDurationMs(model.context) / 2)),
  OPEN_TIMEOUT: (h, model) => {
    // The open timer fires exactly when the open duration is over, not a millisecond earlier.
    const remaining = expectedOpenDurationMs(model.context) - elapsedOpenMs(model.context);
    h.clock.increment(remaining - 1);
    expect(h.actor.getSnapshot().value, `still open 1 ms before the ${remaining} ms left are over`).toBe('open');
    expect(h.stepEdges).toEqual([]);
    h.clock.increment(1);
  },
};

/**
 * How many calls a model step admits (the real machine emits one `admitted` each): closed admits every call that asks;
 * half-open a new call while a trial slot is free, and a trial's retry in its own slot; open and isolated none.
 */
function expectedAdmissions(prev: CircuitModelSnapshot, type: CircuitModelEventType): number {
  if (type !== 'TRY_ACQUIRE' && type !== 'TRY_ACQUIRE_RETRY') return 0;
  if (prev.value === 'closed') return 1;
  if (prev.value !== 'halfOpen') return 0;
  return type === 'TRY_ACQUIRE_RETRY' || prev.context.trials < MODEL_POLICY.halfOpenMaxCalls ? 1 : 0;
}

/** The one real edge a model step must take (`null`: the real machine must take none). */
function expectedEdge(prev: CircuitModelSnapshot, type: CircuitModelEventType, next: CircuitModelSnapshot): string | null {
  const from = prev.value as CircuitModelState;
  const edge = (event: string, target: CircuitModelState, guard?: string): string =>
    edgeName(`circuitBreaker.${from}`, event, `circuitBreaker.${target}`, guard);
  const failure = type === 'FAILURE' || type === 'FAILURE_RA';
  switch (from) {
    case 'closed':
      if (type === 'SUCCESS') {
        return next.value === 'open' ? edge('SUCCESS', 'open', 'successOpensCircuit') : edge('SUCCESS', 'closed', 'isCurrent');
      }
      if (failure) {
        if (next.value !== 'open') return edge('FAILURE', 'closed', 'isCurrent');
        // The consecutive-failure rule is asked first; the failure rate only when it does not open the circuit.
        return edge('FAILURE', 'open', trailingFailures(prev.context.outcomes) + 1 >= 3 ? 'failureThresholdReached' : 'failureRateReached');
      }
      if (type === 'TRY_ACQUIRE' || type === 'TRY_ACQUIRE_RETRY') return edge('TRY_ACQUIRE', 'closed');
      if (type === 'RESET') return edge('RESET', 'closed');
      if (type === 'ADOPT_OPEN') return edge('ADOPT_OPEN', 'open', 'adoptedPeriodRunning');
      if (type === 'ADOPT_OPEN_ELAPSED') return edge('ADOPT_OPEN', 'halfOpen');
      break;
    case 'open':
      if (type === 'OPEN_TIMEOUT') return edge(AFTER_OPEN, 'halfOpen');
      if (type === 'RESET') return edge('RESET', 'closed');
      if (type === 'ADOPT_OPEN') return edge('ADOPT_OPEN', 'open', 'adoptedPeriodRunning');
      if (type === 'ADOPT_OPEN_ELAPSED') return edge('ADOPT_OPEN', 'halfOpen');
      if (type === 'ADOPT_CLOSED') return edge('ADOPT_CLOSED', 'closed');
      break;
    case 'halfOpen':
      if (type === 'TRY_ACQUIRE') {
        if (next.context.trials === prev.context.trials) return null;
        return edge('TRY_ACQUIRE', 'halfOpen', prev.context.trials === 0 ? 'noTrialInFlight' : 'trialSlotFree');
      }
      if (type === 'TRY_ACQUIRE_RETRY') return edge('TRY_ACQUIRE', 'halfOpen', 'holdsTrial');
      if (type === 'SUCCESS') return edge('SUCCESS', 'closed', 'isCurrent');
      if (failure) return edge('FAILURE', 'open', 'isCurrent');
      if (type === 'IGNORED') return edge('IGNORED', 'halfOpen', prev.context.trials === 1 ? 'isLastTrial' : 'isCurrent');
      if (type === 'TRIAL_TIMEOUT') return prev.context.trials > 0 ? edge('TRIAL_TIMEOUT', 'halfOpen', 'isCurrent') : null;
      if (type === 'RESET') return edge('RESET', 'closed');
      if (type === 'ADOPT_OPEN') return edge('ADOPT_OPEN', 'open', 'adoptedPeriodRunning');
      if (type === 'ADOPT_CLOSED') return edge('ADOPT_CLOSED', 'closed');
      break;
    case 'isolated':
      if (type === 'ISOLATE') return edge('ISOLATE', 'isolated');
      if (type === 'RELEASE') {
        return next.value === 'closed' ? edge('RELEASE', 'closed', 'isLastIsolationHold') : edge('RELEASE', 'isolated');
      }
      if (type === 'END_ISOLATION') return edge('END_ISOLATION', 'closed');
      break;
  }
  if (type === 'ISOLATE') return edgeName('circuitBreaker', 'ISOLATE', 'circuitBreaker.isolated');
  return null;
}

function executor(type: CircuitModelEventType) {
  return (h: Harness) =>
    ({ state: next }: { state: CircuitModelSnapshot }): void => {
      const prev = h.model;
      if (prev === undefined) throw new Error('no model state checked before the first event');
      expect(prev.can({ type } as CircuitModelEvent), `the model accepts ${type} in ${JSON.stringify(prev.value)}`).toBe(true);
      const before = h.actor.getSnapshot();
      h.stepEdges = [];
      const admittedBefore = h.admitted;
      act[type](h, prev);
      const after = h.actor.getSnapshot();
      const expected = expectedEdge(prev, type, next);
      expect(h.stepEdges, `real edges taken by ${type} in ${String(prev.value)}`).toEqual(expected === null ? [] : [expected]);
      expect(h.admitted - admittedBefore, `calls admitted by ${type} in ${String(prev.value)}`).toBe(expectedAdmissions(prev, type));
      h.stepEdges = undefined;
      // The epoch moves exactly when a state is entered (a result from before it is then stale).
      const entered =
        prev.value !== next.value ||
        (prev.value === 'closed' && type === 'RESET') ||
        (prev.value === 'open' && type === 'ADOPT_OPEN') ||
        (prev.value === 'halfOpen' && type === 'TRIAL_TIMEOUT' && prev.context.trials > 0);
      expect(after.context.epoch - before.context.epoch, `epoch bump on ${type}`).toBe(entered ? 1 : 0);
      if (type === 'ISOLATE' && prev.value !== 'isolated') h.isolatedAt = h.clock.now();
    };
}

const serverRetryAfter = (model: CircuitModelSnapshot): number | null => (model.context.ra ? RETRY_AFTER_MS : null);

/** Compares the real snapshot with the model state. */
function checkState(h: Harness, model: CircuitModelSnapshot): void {
  const snapshot = h.actor.getSnapshot();
  const c = snapshot.context;
  const m = model.context;
  expect(snapshot.value).toBe(model.value);
  expect(c.trialsInFlight).toBeLessThanOrEqual(MODEL_POLICY.halfOpenMaxCalls);
  switch (model.value as CircuitModelState) {
    case 'closed':
      expect({
        consecutiveFailures: c.consecutiveFailures,
        outcomes: c.outcomes.map((o) => (o.failed ? 'F' : 'S')).join(''),
        serverRetryAfterMs: c.serverRetryAfterMs,
        reopenCount: c.reopenCount,
        trialsInFlight: c.trialsInFlight,
        isolationHolds: c.isolationHolds,
        openedAt: c.openedAt,
      }).toEqual({
        consecutiveFailures: trailingFailures(m.outcomes),
        outcomes: m.outcomes,
        serverRetryAfterMs: serverRetryAfter(model),
        reopenCount: 0,
        trialsInFlight: 0,
        isolationHolds: 0,
        openedAt: null,
      });
      break;
    case 'open':
      expect({
        openDurationMs: c.openDurationMs,
        remainingMs: (c.openedAt ?? Number.NaN) + c.openDurationMs - h.clock.now(),
        reopens: Math.min(c.reopenCount, 2),
        serverRetryAfterMs: c.serverRetryAfterMs,
      }).toEqual({
        openDurationMs: expectedOpenDurationMs(m),
        remainingMs: expectedOpenDurationMs(m) - elapsedOpenMs(m),
        reopens: m.reopens,
        serverRetryAfterMs: serverRetryAfter(model),
      });
      break;
    case 'halfOpen':
      expect({
        trialsInFlight: c.trialsInFlight,
        reopens: Math.min(c.reopenCount, 2),
        serverRetryAfterMs: c.serverRetryAfterMs,
      }).toEqual({ trialsInFlight: m.trials, reopens: m.reopens, serverRetryAfterMs: serverRetryAfter(model) });
      break;
    case 'isolated':
      expect({ isolationHolds: c.isolationHolds, openedAt: c.openedAt }).toEqual({ isolationHolds: m.holds, openedAt: h.isolatedAt });
      break;
  }
  h.model = model;
}

const EVENT_TYPES = Object.keys(act) as CircuitModelEventType[];

function params(h: Harness): TestParam<CircuitModelSnapshot, CircuitModelEvent> {
  const check = (model: CircuitModelSnapshot): void => checkState(h, model);
  return {
    states: { closed: check, open: check, halfOpen: check, isolated: check },
    events: Object.fromEntries(EVENT_TYPES.map((type) => [type, executor(type)(h)])),
  };
}

async function runPath(path: TestPath<CircuitModelSnapshot, CircuitModelEvent>): Promise<void> {
  await path.test(params(createHarness()));
}

const describePath = (path: TestPath<CircuitModelSnapshot, CircuitModelEvent>): string =>
  path.steps
    .slice(1)
    .map((step) => step.event.type)
    .join(' → ') || '(initial state)';

/**
 * Every (state, event) pair of the model becomes its own graph node ("S via E from P"), so the shortest paths end in
 * every transition of the model, self-transitions that change nothing included.
 */
const model = createTestModel(circuitBreakerModel, {
  filterEvents: (state, event) => state.can(event),
  serializeTransition: (_state, event, prev) =>
    event === undefined || prev === undefined ? '' : ` via ${event.type} from ${serializeSnapshot(prev)}`,
});

const scenario = (events: CircuitModelEventType[]): TestPath<CircuitModelSnapshot, CircuitModelEvent> => {
  const [path] = model.getPathsFromEvents(events.map((type) => ({ type }) as CircuitModelEvent));
  if (path === undefined) throw new Error(`no model path for ${events.join(' → ')}`);
  return path;
};

const OPEN = ['FAILURE', 'FAILURE', 'FAILURE'] as const satisfies CircuitModelEventType[];

describe('circuitBreakerMachine against its model: every model transition (shortest paths)', () => {
  const paths = model.getShortestPaths();
  it('generates paths to every model state, self-transitions included', () => {
    expect(paths.length).toBeGreaterThan(100);
  });
  for (const path of paths) {
    it(describePath(path), () => runPath(path));
  }
});

describe('circuitBreakerMachine against its model: named behaviours', () => {
  it('opens exactly at the third consecutive failure, not before', () =>
    scenario(['FAILURE', 'FAILURE', 'SUCCESS', 'FAILURE', 'FAILURE', 'FAILURE']).test(params(createHarness())));

  it('the failure-rate window opens only once 4 calls are in it (and a SUCCESS can open it)', () =>
    scenario(['FAILURE', 'SUCCESS', 'FAILURE', 'SUCCESS']).test(params(createHarness())));

  it('a late FAILURE in open changes nothing and does not restart the open timer', () =>
    scenario([...OPEN, 'OPEN_PARTIAL', 'FAILURE_STALE', 'SUCCESS_STALE', 'IGNORED_STALE', 'TRY_ACQUIRE', 'OPEN_TIMEOUT']).test(
      params(createHarness()),
    ));

  it('late results in half-open and closed change nothing', () =>
    scenario([
      ...OPEN,
      'OPEN_TIMEOUT',
      'TRY_ACQUIRE',
      'FAILURE_STALE',
      'IGNORED_STALE',
      'SUCCESS_STALE',
      'SUCCESS',
      'FAILURE',
      'FAILURE_STALE',
      'FAILURE_STALE',
      'FAILURE',
    ]).test(params(createHarness())));

  it('IGNORED gives back a half-open trial slot, so half-open never gets stuck', () =>
    scenario([...OPEN, 'OPEN_TIMEOUT', 'TRY_ACQUIRE', 'TRY_ACQUIRE', 'TRY_ACQUIRE', 'IGNORED', 'IGNORED', 'TRY_ACQUIRE', 'SUCCESS']).test(
      params(createHarness()),
    ));

  it('each re-open doubles the open duration up to the cap (1 s, 2 s, 3 s, 3 s)', () =>
    scenario([
      ...OPEN,
      ...(['OPEN_TIMEOUT', 'TRY_ACQUIRE', 'FAILURE'] as const),
      ...(['OPEN_TIMEOUT', 'TRY_ACQUIRE', 'FAILURE'] as const),
      ...(['OPEN_TIMEOUT', 'TRY_ACQUIRE', 'FAILURE'] as const),
      'OPEN_PARTIAL',
      'OPEN_TIMEOUT',
      'SUCCESS',
    ]).test(params(createHarness())));

  it('the open duration is never shorter than the opening failure’s Retry-After', () =>
    scenario(['FAILURE', 'FAILURE', 'FAILURE_RA', 'OPEN_PARTIAL', 'OPEN_TIMEOUT', 'FAILURE', 'OPEN_TIMEOUT', 'FAILURE_RA']).test(
      params(createHarness()),
    ));

  it('isolate twice and release once stays isolated; the second release closes', () =>
    scenario([...OPEN, 'ISOLATE', 'ISOLATE', 'RESET', 'RELEASE', 'FAILURE', 'RELEASE', 'FAILURE']).test(params(createHarness())));

  it('an adopted opening re-arms the open timer with only the time it has left, and keeps its re-open count', () =>
    scenario(['ADOPT_OPEN', 'OPEN_PARTIAL', 'OPEN_TIMEOUT', 'TRY_ACQUIRE', 'FAILURE', 'OPEN_TIMEOUT', 'SUCCESS']).test(
      params(createHarness()),
    ));

  it('an opening whose period ran out elsewhere (a page closed through it) restores as half-open', () =>
    scenario(['ADOPT_OPEN_ELAPSED', 'TRY_ACQUIRE', 'TRY_ACQUIRE', 'TRY_ACQUIRE', 'ADOPT_OPEN_ELAPSED', 'SUCCESS']).test(
      params(createHarness()),
    ));

  it('a newer opening from elsewhere replaces a running one; a close from elsewhere ends it', () =>
    scenario([...OPEN, 'OPEN_PARTIAL', 'ADOPT_OPEN', 'ADOPT_CLOSED', 'FAILURE', 'ADOPT_OPEN', 'OPEN_TIMEOUT', 'ADOPT_CLOSED']).test(
      params(createHarness()),
    ));

  it('an isolated circuit ignores what happened elsewhere', () =>
    scenario(['ISOLATE', 'ADOPT_OPEN', 'ADOPT_OPEN_ELAPSED', 'ADOPT_CLOSED', 'RELEASE']).test(params(createHarness())));

  it('a trial that never settles holds half-open only until the trial timeout: then new trials are admitted', () =>
    scenario([...OPEN, 'OPEN_TIMEOUT', 'TRY_ACQUIRE', 'TRY_ACQUIRE', 'TRY_ACQUIRE', 'TRIAL_TIMEOUT', 'IGNORED_STALE', 'TRY_ACQUIRE', 'SUCCESS']).test(
      params(createHarness()),
    ));

  it('END_ISOLATION closes an isolated circuit whatever holds are outstanding', () =>
    scenario(['ISOLATE', 'ISOLATE', 'END_ISOLATION', 'FAILURE', 'RELEASE']).test(params(createHarness())));

  it('RESET re-enters closed with a fresh epoch and a clean count', () =>
    scenario(['FAILURE', 'FAILURE', 'RESET', 'FAILURE', 'FAILURE', 'RESET']).test(params(createHarness())));
});

describe('circuitBreakerMachine: behaviours outside the model’s bounded context', () => {
  const fail = (actor: CircuitActor, at: number, retryAfterMs: number | null = null): void =>
    actor.send({ type: 'FAILURE', at, epoch: epochOf(actor), retryAfterMs });
  const succeed = (actor: CircuitActor, at: number): void => actor.send({ type: 'SUCCESS', at, epoch: epochOf(actor) });

  it('the trial timeout counts from the first admission: a trial admitted late in an idle half-open period gets it all', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 1, openDurationMs: 1_000, trialTimeoutMs: 500, halfOpenMaxCalls: 1 });
    fail(actor, clock.now());
    clock.increment(1_000);
    expect(actor.getSnapshot().value).toBe('halfOpen');
    clock.increment(5_000); // idle: nothing times out without a trial
    const idleEpoch = epochOf(actor);
    actor.send({ type: 'TRY_ACQUIRE' });
    expect(actor.getSnapshot().context.trialsInFlight).toBe(1);
    clock.increment(499);
    expect(epochOf(actor)).toBe(idleEpoch);
    actor.send({ type: 'TRY_ACQUIRE' });
    expect(actor.getSnapshot().context.trialsInFlight, 'still one trial 1 ms before its timeout').toBe(1);
    clock.increment(1);
    expect(actor.getSnapshot().context).toMatchObject({ trialsInFlight: 0, epoch: idleEpoch + 1 });
  });

  it('a trial given back restarts the clock for the next one', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 1, openDurationMs: 1_000, trialTimeoutMs: 500, halfOpenMaxCalls: 1 });
    fail(actor, clock.now());
    clock.increment(1_000);
    actor.send({ type: 'TRY_ACQUIRE' });
    clock.increment(400);
    actor.send({ type: 'IGNORED', epoch: epochOf(actor) }); // an aborted trial gives its slot back
    actor.send({ type: 'TRY_ACQUIRE' });
    const epoch = epochOf(actor);
    clock.increment(499);
    expect(actor.getSnapshot().context).toMatchObject({ trialsInFlight: 1, epoch });
    clock.increment(1);
    expect(actor.getSnapshot().context).toMatchObject({ trialsInFlight: 0, epoch: epoch + 1 });
  });

  it('count window: failure rate opens only once minimumCalls calls are in the window', () => {
    const { actor, clock } = startCircuit({
      failureThreshold: 0,
      failureRate: { kind: 'count', size: 5, threshold: 0.6, minimumCalls: 5 },
    });
    const now = clock.now();
    for (let i = 0; i < 4; i++) fail(actor, now); // 4 of 4 failed, but only 4 calls
    expect(actor.getSnapshot().value).toBe('closed');
    succeed(actor, now); // 4 of 5 failed = 80 % >= 60 % with 5 calls: a SUCCESS opens it
    expect(actor.getSnapshot().value).toBe('open');
  });

  it('time window: failure rate counts only the calls of the last windowMs, and opens only at minimumCalls', () => {
    const { actor, clock } = startCircuit({
      failureThreshold: 0,
      failureRate: { kind: 'time', windowMs: 1_000, threshold: 0.5, minimumCalls: 4 },
    });
    const t0 = clock.now();
    fail(actor, t0);
    fail(actor, t0 + 100);
    succeed(actor, t0 + 200);
    expect(actor.getSnapshot().value).toBe('closed'); // 3 calls < minimumCalls
    clock.set(t0 + 1_000);
    // The failure at t0 is exactly windowMs old and has left the window: F F S → F S F = 3 calls, still closed.
    fail(actor, t0 + 1_000);
    expect(actor.getSnapshot().value).toBe('closed');
    expect(actor.getSnapshot().context.outcomes).toHaveLength(3);
    fail(actor, t0 + 1_050); // 4 calls, 3 failed
    expect(actor.getSnapshot().value).toBe('open');
    expect(actor.getSnapshot().context.openedAt).toBe(t0 + 1_050);
  });

  it('time window: a SUCCESS opens the circuit when the rate is still above the threshold at minimumCalls', () => {
    const { actor, clock } = startCircuit({
      failureThreshold: 0,
      failureRate: { kind: 'time', windowMs: 1_000, threshold: 0.5, minimumCalls: 4 },
    });
    const t0 = clock.now();
    fail(actor, t0);
    fail(actor, t0 + 10);
    succeed(actor, t0 + 20);
    expect(actor.getSnapshot().value).toBe('closed');
    succeed(actor, t0 + 30); // 2 of 4 failed = 50 %
    expect(actor.getSnapshot().value).toBe('open');
  });

  it('a Retry-After longer than maxOpenDurationMs still holds the circuit open that long', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 1, openDurationMs: 1_000, maxOpenDurationMs: 3_000 });
    fail(actor, clock.now(), 10_000);
    expect(actor.getSnapshot().context.openDurationMs).toBe(10_000);
    clock.increment(9_999);
    expect(actor.getSnapshot().value).toBe('open');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('halfOpen');
  });

  it('a success with nothing to forget and no rate to count changes nothing (the executor does not even send it)', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 2, failureRate: null });
    const before = actor.getSnapshot();
    succeed(actor, clock.now());
    expect(actor.getSnapshot().context).toBe(before.context);
    fail(actor, clock.now(), 5_000);
    succeed(actor, clock.now());
    expect(actor.getSnapshot().context).toMatchObject({ consecutiveFailures: 0, serverRetryAfterMs: null });
  });

  it('a Retry-After longer than maxServerWaitMs holds the circuit open only maxServerWaitMs', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 1, openDurationMs: 1_000, maxOpenDurationMs: 3_000, maxServerWaitMs: 5_000 });
    fail(actor, clock.now(), 86_400_000);
    expect(actor.getSnapshot().context).toMatchObject({ openDurationMs: 5_000, serverRetryAfterMs: 5_000 });
  });

  it('a late FAILURE in closed, even one that would reach the threshold, is not counted', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 2 });
    const oldEpoch = epochOf(actor);
    fail(actor, clock.now());
    actor.send({ type: 'RESET' });
    actor.send({ type: 'FAILURE', at: clock.now(), epoch: oldEpoch, retryAfterMs: null });
    actor.send({ type: 'FAILURE', at: clock.now(), epoch: oldEpoch, retryAfterMs: null });
    expect(actor.getSnapshot().value).toBe('closed');
    expect(actor.getSnapshot().context.consecutiveFailures).toBe(0);
  });

  /**
   * `serverRetryAfterMs` is documented as "the longest wait the server asked for in the failures that opened the
   * circuit". With the consecutive-failure rule only, a failure followed by a SUCCESS did not open the circuit; its
   * Retry-After (answered long ago) must not hold the circuit open when later failures open it.
   */
  it('Retry-After of a failure followed by a success does not lengthen a later opening', () => {
    const { actor, clock } = startCircuit({ failureThreshold: 2, failureRate: null, openDurationMs: 1_000 });
    const t0 = clock.now();
    fail(actor, t0, 30_000);
    succeed(actor, t0 + 10);
    clock.set(t0 + 100_000);
    fail(actor, clock.now());
    fail(actor, clock.now());
    expect(actor.getSnapshot().value).toBe('open');
    expect(actor.getSnapshot().context.openDurationMs).toBe(1_000);
  });
});

describe('edge coverage of the real circuitBreakerMachine', () => {
  it('every edge of toDirectedGraph(circuitBreakerMachine) was taken by some test above', () => {
    const missing = coverage.missing();
    expect(missing, `missing edges:\n${missing.join('\n')}`).toEqual([]);
    expect(coverage.all.length).toBe(31);
  });
});

