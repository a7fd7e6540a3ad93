import type { RateLimitInfo } from '../classify/parseRateLimitHeaders.js';

/**
 * The rate and burst a response's rate-limit headers state, less `headroom`, or `null` when they state too little: a
 * quota over a window gives limit / window and a burst of the limit; without a window, what remains is spread evenly
 * until the reset (burst 1). A reset further away than `maxResetMs` is not believed: it would pace to a crawl on a
 * garbage header. The rate is at least `minRate`.
 */
export function statedLimit(
  info: RateLimitInfo,
  options: { readonly headroom: number; readonly minRate: number; readonly maxResetMs: number },
): { readonly stated: number; readonly burst: number } | null {
  const { limit, remaining, resetMs, windowMs } = info;
  const { headroom, minRate } = options;
  if (limit !== null && limit > 0 && windowMs !== null && windowMs > 0) {
    return { stated: Math.max(minRate, (limit / windowMs) * 1000 * headroom), burst: Math.max(1, Math.floor(limit * headroom)) };
  }
  if (remaining !== null && resetMs !== null && resetMs > 0 && resetMs <= options.maxResetMs) {
    return { stated: Math.max(minRate, (Math.max(remaining, 1) / resetMs) * 1000 * headroom), burst: 1 };
  }
  return null;
}
