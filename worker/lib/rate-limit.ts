import { ApiError } from './problem.js';

export interface RateLimiterOptions {
  /** tokens a full bucket holds (default: 2 s worth) */
  burst?: number;
  /** buckets kept at most; the least recently used goes first */
  maxKeys?: number;
  now?: () => number;
}

/** A token bucket: what it held at `at` (ms). */
export interface Bucket {
  tokens: number;
  at: number;
}

/** Tops `b` up for the time passed since it was last looked at (shared by every store, so they all count alike). */
export function refill(b: Bucket, t: number, perSecond: number, burst: number): Bucket {
  b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
  b.at = t;
  return b;
}

/** Whole seconds until a bucket holding `tokens` has one again; at least 1 (Retry-After has no fractions). */
export const retryAfter = (tokens: number, perSecond: number) => Math.max(1, Math.ceil((1 - tokens) / perSecond));

/** The 429 a refused caller gets, naming the limit it is past and when to come back. */
export function rateLimited(what: string, retry: number) {
  return new ApiError(429, 'rate_limited', `too many requests: more than ${what}; retry in ${retry} s`, undefined, { 'Retry-After': String(retry) });
}

/**
 * Token buckets by key, kept in this process (on Workers: per isolate).
 * Memory is bounded by dropping the least recently used bucket: a bucket not
 * used for a while has refilled anyway, so forgetting it lets nobody through
 * who would not pass, while an attacker cycling keys cannot reset the
 * buckets of callers that are active.
 */
export function rateLimiter(perSecond: number, what: string, o: RateLimiterOptions = {}) {
  const buckets = new Map<string, Bucket>();
  const burst = o.burst ?? perSecond * 2;
  const maxKeys = o.maxKeys ?? 100_000;
  const now = o.now ?? Date.now;
  const bucket = (key: string) => {
    const t = now();
    const b = refill(buckets.get(key) ?? { tokens: burst, at: t }, t, perSecond, burst);
    buckets.delete(key); // re-inserted last: the Map's order is the recency order
    buckets.set(key, b);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    return b;
  };
  const refuse = (tokens: number) => {
    throw rateLimited(what, retryAfter(tokens, perSecond));
  };
  return {
    /** Takes one token, or refuses (429 with Retry-After) when there is none. */
    take(key: string) {
      if (perSecond <= 0) return;
      const b = bucket(key);
      if (b.tokens < 1) refuse(b.tokens);
      b.tokens -= 1;
    },
    /** Refuses when the bucket is empty, without taking anything. */
    check(key: string) {
      if (perSecond <= 0) return;
      const b = bucket(key);
      if (b.tokens < 1) refuse(b.tokens);
    },
    /** Takes one token if there is one: a cost counted after the fact. */
    charge(key: string) {
      if (perSecond <= 0) return;
      const b = bucket(key);
      b.tokens = Math.max(0, b.tokens - 1);
    },
    get size() {
      return buckets.size;
    },
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;
