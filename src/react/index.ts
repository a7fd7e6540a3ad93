/**
 * React bindings: hooks over an executor's circuit, a provider for one or many executors, and a status badge.
 * React is an optional peer dependency; only this entry (`xstate-circuit-breaker/react`) imports it.
 */
export { CircuitProvider, type CircuitProviderProps } from './CircuitProvider.js';
export { useExecutor } from './useExecutor.js';
export { useExecutors } from './useExecutors.js';
export { useCircuitState } from './useCircuitState.js';
export { useCountdown, type NowSource } from './useCountdown.js';
export { useCircuitStatus, type CircuitStatus, type CircuitStatusOptions } from './useCircuitStatus.js';
export { CircuitStatusBadge, type CircuitStatusBadgeProps } from './CircuitStatusBadge.js';
export { defaultCircuitStateLabels } from './defaultCircuitStateLabels.js';
export { formatNextTrial } from './formatNextTrial.js';
export type { CircuitState, CircuitStateName } from '../types.js';
export type { Executor } from '../createExecutor.js';
