export { createExecutor, type Executor } from './createExecutor.js';
export type { CircuitView } from './executor/createCircuitView.js';
export { type ExecutorOptions, type ExecutorSettings, type ErrorDecisionInfo } from './options.js';
export type { ExecutorMachines } from './executor/resolveMachines.js';
export { RateLimitService, rateLimitService, type RateLimitConfig, type LegacyCircuitState, type RateLimitContext } from './RateLimitService.js';
export * from './errors/index.js';
export * from './classify/index.js';
export type {
  AttemptContext,
  CircuitState,
  CircuitStateName,
  Clock,
  ExecuteOptions,
  ExecutorStats,
  IsolationHandle,
  LogEntry,
  LogLevel,
  Logger,
  Operation,
  RetryInfo,
} from './types.js';
// The machines' policy types name what `ExecutorOptions` and `executor.options` hold; they cost nothing at run time.
export type { CircuitPolicy, FailureRateWindow } from '../machines/circuitBreaker.machine.js';
export type { JitterStrategy, RetryPolicy } from '../machines/retry.machine.js';
export * from './bulk/index.js';
export {
  createPacer,
  type Pacer,
  type PacerOptions,
  type PacerSharing,
  type PacerSharingStats,
  type PacerSlot,
  type PacerState,
  type PacingSource,
} from './pacing/createPacer.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './pacing/createRetryBudget.js';
export { redactSecrets } from './security/redactSecrets.js';
// Persistence lives in `xstate-circuit-breaker/persist`; the types the executor's own API names are here too (free).
export type { CircuitLink, CircuitPersistence } from './sync/CircuitPersistence.js';
export type { AnnouncedLimits, PacerLink, PacerSharingLink } from './pacing/PacerSharingLink.js';
export type { PersistSettings } from './sync/resolvePersistOptions.js';
export type { CircuitStorage, SyncChannel, SyncLockManager, SyncStats } from './sync/types.js';
export * from './recovery/index.js';
