export { createExecutor, type Executor } from './createExecutor.js';
export { resolveOptions, type ExecutorOptions, type ErrorDecisionInfo, type ResolvedOptions } from './options.js';
export { createSystemClock } from './clock.js';
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
export { redactSecrets, summarizeError, type ErrorSummary } from './security/redactSecrets.js';
export { createMemoryStorage } from './sync/createMemoryStorage.js';
export { SYNC_VERSION, type CircuitRecord } from './sync/records.js';
export type { CircuitStorage, PersistOptions, SyncChannel, SyncLockManager, SyncStats } from './sync/types.js';
export * from './recovery/index.js';
