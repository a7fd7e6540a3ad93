export { MESSAGES, type FailureReason } from './messages.js';
export { CircuitOpenError, isCircuitOpenError, CIRCUIT_OPEN_CODE } from './CircuitOpenError.js';
export { RetriesExhaustedError, isRetriesExhaustedError, RETRIES_EXHAUSTED_CODE } from './RetriesExhaustedError.js';
export { AttemptTimeoutError, isAttemptTimeoutError, ATTEMPT_TIMEOUT_CODE } from './AttemptTimeoutError.js';
