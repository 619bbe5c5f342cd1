import type { BucketFactory, BucketStore } from '../lib/buckets.js';
import { sha256Hex } from '../lib/crypto.js';
import { outageGuard } from '../lib/outage-guard.js';
import { rateLimited, rateLimiter } from '../lib/rate-limit.js';
import type { DurableObjectNamespace } from '../push/workers-types.js';
import type { RateLimiterAnswer } from './rate-limiter-do.js';

/** A limiter that has not answered by then counts as down: a request must not hang on it. */
const TIMEOUT_MS = 1_000;
/** How long an isolate leaves a failed limiter alone: while it hangs, every request would otherwise wait out the timeout. */
const RETRY_AFTER_FAILURE_MS = 5_000;

const noLimit: BucketStore = { take: async () => {}, check: async () => {}, charge: async () => {} };

/**
 * Buckets shared by every isolate, in `RateLimiter` Durable Objects (one per
 * bucket and key). Each isolate keeps a bucket of its own at the same rate
 * and looks there first: this isolate alone having seen a caller past the
 * rate means it is past it everywhere, so it is refused without a round trip.
 *
 * A limiter that fails (throws, times out, answers other than 2xx) is not
 * allowed to take the API down with it: the isolate's own bucket decides
 * meanwhile (each isolate then limits on its own, as before the Durable
 * Object), the limiter is asked again only every few seconds, and the outage
 * is logged once, not once a request.
 */
export function durableBuckets(limiters: DurableObjectNamespace, now = Date.now): BucketFactory {
  const guard = outageGuard(
    'rate limits: the RateLimiter Durable Object failed; each isolate limits on its own until it answers again:', RETRY_AFTER_FAILURE_MS, now);

  /** The shared bucket's answer, or undefined when the limiter could not give one. */
  const ask = (op: 'take' | 'check' | 'charge', name: string, key: string, perSecond: number, burst: number) => guard(async () => {
    // hashed: a credential must never become an object's name (names show up in logs and dashboards)
    const limiter = limiters.get(limiters.idFromName(`${name}:${await sha256Hex(key)}`));
    const q = new URLSearchParams({ perSecond: String(perSecond), burst: String(burst) });
    const res = await limiter.fetch(`https://rate-limiter/${op}?${q}`, { method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as RateLimiterAnswer;
  });

  return (spec) => {
    if (spec.perSecond <= 0) return noLimit;
    const burst = spec.burst ?? spec.perSecond * 2;
    const local = rateLimiter(spec.perSecond, spec.what, { burst });
    const shared = (op: 'take' | 'check' | 'charge', key: string) => ask(op, spec.name, key, spec.perSecond, burst);
    const refuse = (retryAfter: number) => rateLimited(spec.what, Math.max(1, Math.ceil(retryAfter) || 1));
    return {
      async take(key) {
        local.check(key);
        const answer = await shared('take', key);
        if (!answer) return local.take(key);
        if (!answer.ok) throw refuse(answer.retryAfter);
        // counted here only once the shared bucket took it: the local one never runs emptier than the shared one
        local.charge(key);
      },
      async check(key) {
        local.check(key);
        const answer = await shared('check', key);
        if (answer && !answer.ok) throw refuse(answer.retryAfter);
      },
      async charge(key) {
        local.charge(key);
        await shared('charge', key);
      },
    };
  };
}
