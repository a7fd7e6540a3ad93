export { getStatus } from './getStatus.js';
export { isRateLimitError } from './isRateLimitError.js';
export { isNetworkError } from './isNetworkError.js';
export { parseRetryAfter } from './parseRetryAfter.js';
export { parseRateLimitHeaders, type RateLimitInfo } from './parseRateLimitHeaders.js';
export { getRetryAfterMs } from './getRetryAfterMs.js';
export { classifyError, type ErrorClassification, type ClassifyErrorOptions } from './classifyError.js';
