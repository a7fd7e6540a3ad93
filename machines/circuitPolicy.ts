// The circuit's policy and the pure rules the circuit machine decides with (no XState here): what opens it, and for
// how long. circuitBreakerMachine.ts re-exports everything public.

/**
 * Optional failure-rate rule (the resilience4j/Polly model), checked next to the consecutive-failure threshold.
 * `count` looks at the last `size` completed operations; `time` at those that ended within the last `windowMs`.
 */
export type FailureRateWindow =
  | { kind: 'count'; size: number; threshold: number; minimumCalls: number }
  | { kind: 'time'; windowMs: number; threshold: number; minimumCalls: number };

/** How the circuit decides to open and how long it stays open. Validated by the executor. */
export interface CircuitPolicy {
  /** Consecutive failed operations that open the circuit; `0` turns the rule off (use `failureRate` alone). */
  failureThreshold: number;
  failureRate: FailureRateWindow | null;
  /** How long the circuit stays open before a trial. */
  openDurationMs: number;
  /** Each re-open after a failed trial multiplies the open duration by this (1 = constant). */
  openBackoffMultiplier: number;
  /** Cap for the grown open duration. */
  maxOpenDurationMs: number;
  /** Trial calls admitted while half-open. */
  halfOpenMaxCalls: number;
  /**
   * Trials that have not settled this long after the first of them was admitted are given up on: the half-open period
   * starts again with its slots free (a late verdict of the old trials changes nothing), so a trial that never settles
   * cannot hold the circuit half-open for good. The clock starts at an admission, not at half-opening, so a trial
   * admitted late in an idle half-open period gets the whole time. `null`: the open duration.
   */
  trialTimeoutMs: number | null;
  /**
   * The longest wait a server's `Retry-After` can hold the circuit open: a longer one (a misconfigured or hostile
   * server asking for days) is honoured only this long. The executor sets it to the longest wait its options allow
   * anywhere: `max(maxOpenDurationMs, maxRetryAfterMs)`.
   */
  maxServerWaitMs: number;
}

/** The circuit policy a machine started without `input` runs: the seed's 5 failures and 60 s open, one trial. */
export const defaultCircuitPolicy: CircuitPolicy = {
  failureThreshold: 5,
  failureRate: null,
  openDurationMs: 60_000,
  openBackoffMultiplier: 1,
  maxOpenDurationMs: 600_000,
  halfOpenMaxCalls: 1,
  trialTimeoutMs: null,
  maxServerWaitMs: 600_000,
};

/** One completed operation in the failure-rate window. */
export interface Outcome {
  readonly at: number;
  readonly failed: boolean;
}

/** The open duration for the `reopenCount`-th re-open, never shorter than the server's Retry-After. */
export function computeOpenDuration(policy: CircuitPolicy, reopenCount: number, serverRetryAfterMs: number | null): number {
  const grown = policy.openDurationMs * policy.openBackoffMultiplier ** reopenCount;
  const capped = Math.min(Math.max(policy.maxOpenDurationMs, policy.openDurationMs), grown);
  return Math.max(capped, serverRetryAfterMs ?? 0);
}

/**
 * The server's wait the circuit keeps after a failure: the longest asked for since the last success, each capped at
 * `maxServerWaitMs`; `null` when none was asked for.
 */
export function longestServerWait(policy: CircuitPolicy, kept: number | null, asked: number | null): number | null {
  return Math.max(kept ?? 0, Math.min(asked ?? 0, policy.maxServerWaitMs)) || null;
}

export function pruneOutcomes(policy: CircuitPolicy, outcomes: readonly Outcome[], now: number): readonly Outcome[] {
  const window = policy.failureRate;
  if (window === null) return outcomes;
  if (window.kind === 'count') return outcomes.length > window.size ? outcomes.slice(-window.size) : outcomes;
  const from = now - window.windowMs;
  let start = 0;
  while (start < outcomes.length && outcomes[start]!.at <= from) start++;
  return start === 0 ? outcomes : outcomes.slice(start);
}

export function failureRateExceeded(policy: CircuitPolicy, outcomes: readonly Outcome[]): boolean {
  const window = policy.failureRate;
  if (window === null || outcomes.length < window.minimumCalls || outcomes.length === 0) return false;
  let failed = 0;
  for (const outcome of outcomes) if (outcome.failed) failed++;
  return failed / outcomes.length >= window.threshold;
}
