/**
 * ra-core binding (`xstate-circuit-breaker/ra-core`): wrap a data provider so its calls go through executors, turn
 * the executor's errors into the `HttpError`s React Admin shows, and an `httpClient` that keeps response headers.
 * ra-core is an optional peer dependency; only this entry imports it.
 */
export {
  withCircuitBreaker,
  WRITE_METHODS,
  READ_METHODS,
  type WithCircuitBreakerOptions,
  type CircuitBreakerDataProvider,
} from './withCircuitBreaker.js';
export type { CircuitRegistry, CircuitEntry } from './createCircuitRegistry.js';
export { toHttpError, type CircuitHttpError } from './toHttpError.js';
export {
  createHttpClient,
  type HttpClient,
  type HttpClientOptions,
  type HttpClientRequestOptions,
  type HttpClientResponse,
  type HttpClientError,
} from './createHttpClient.js';
export type { Executor } from '../createExecutor.js';
export type { ExecutorOptions } from '../options.js';
export type { CircuitState } from '../types.js';
