import { ApiError } from './problem.js';

/**
 * A token bucket per caller, kept in this process (on Workers: per isolate).
 * Bursts of up to 2 s worth of requests pass; beyond that, 429 with Retry-After.
 */
export function rateLimiter(perSecond: number, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const burst = perSecond * 2;
  return (caller: string) => {
    if (perSecond <= 0) return;
    const t = now();
    const b = buckets.get(caller) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    if (buckets.size > 100_000) buckets.clear(); // bound memory; forgetting is safe, only lenient
    buckets.set(caller, b);
    if (b.tokens < 1) {
      const retry = Math.ceil((1 - b.tokens) / perSecond);
      throw new ApiError(429, 'rate_limited', `more than ${perSecond} requests per second`, undefined, {
        'Retry-After': String(retry),
      });
    }
    b.tokens -= 1;
  };
}
