export { createBackend, DEFAULT_RATE_LIMIT } from './createBackend.js';
export type { Backend, BackendOptions, BackendStats } from './createBackend.js';
export { createFaults } from './createFaults.js';
export type { Faults, FaultSettings } from './createFaults.js';
export { createRateLimiter, parseRateLimitSettings } from './rateLimiter.js';
export type { RateLimiter, RateLimitHeaderStyle, RateLimitSettings, RateLimitVerdict, RetryAfterStyle } from './rateLimiter.js';
export { createTokenBucket } from './tokenBucket.js';
export type { TokenBucket, TokenBucketDecision, TokenBucketOptions } from './tokenBucket.js';
