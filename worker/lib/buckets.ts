import { rateLimiter } from './rate-limit.js';

/** One kind of bucket: its name (part of a shared bucket's identity), rate, size, and what a refusal says it is past. */
export interface BucketSpec {
  name: string;
  perSecond: number;
  /** tokens a full bucket holds (default: 2 s worth) */
  burst?: number;
  what: string;
}

/**
 * Token buckets by key, wherever they are kept. A store shared between
 * isolates is a round trip away and answers with a Promise; one in this
 * process answers at once (returns, or throws the 429), so Node's hot path
 * stays as it was, without a single await.
 */
export interface BucketStore {
  /** Takes one token, or refuses with the 429 (Retry-After) when there is none. */
  take(key: string): void | Promise<void>;
  /** Refuses with the 429 when the bucket is empty, without taking anything. */
  check(key: string): void | Promise<void>;
  /** Takes one token if there is one: a cost counted after the fact. */
  charge(key: string): void | Promise<void>;
}

export type BucketFactory = (spec: BucketSpec) => BucketStore;

/** Buckets in this process: all there is on Node, where one process serves every request. */
export const localBuckets: BucketFactory = (spec) => {
  return rateLimiter(spec.perSecond, spec.what, spec.burst === undefined ? {} : { burst: spec.burst });
};
