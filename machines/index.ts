export {
  circuitBreakerMachine,
  computeOpenDuration,
  defaultCircuitPolicy,
  type CircuitBreakerMachine,
  type CircuitContext,
  type CircuitEvent,
  type CircuitInput,
  type CircuitPolicy,
  type FailureRateWindow,
  type Outcome,
} from './circuitBreaker.machine.js';
export {
  retryMachine,
  computeBackoff,
  defaultRetryPolicy,
  type JitterStrategy,
  type RetryContext,
  type RetryEvent,
  type RetryInput,
  type RetryMachine,
  type RetryPolicy,
} from './retry.machine.js';
