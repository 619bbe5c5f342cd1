import type { Context, Next } from 'hono';
import type { AppDeps, AppEnv } from '../context.js';
import { ApiError } from './problem.js';
import { localBuckets } from './buckets.js';

/** Requests per second per caller, per tenant and per connector, and failed authentications per minute per source address; 0 turns one off. */
export interface RateLimits {
  caller: number;
  tenant: number;
  connector: number;
  authFailuresPerMinute: number;
}

/** Where a request comes from, as far as the host can tell (Node: the socket; Workers: CF-Connecting-IP). */
export type SourceOf = (c: Context) => string;

/** The longest a refusal is held back (it never outlasts the Retry-After it carries), and how many are held at once in a process. */
const HOLD_MS = 1_000;
const MAX_HELD = 64;
let held = 0;

/**
 * A 429 answered at once invites a closed loop to ask again at once: an
 * attacker's loops then cost the server a request parse each, thousands a
 * second, slowing every tenant. Held back until the caller could succeed
 * (half a second to a second, at random), each of its connections asks about
 * once a second. The database connection is given back first: a held request
 * needs none.
 */
async function slowDown(c: Context<AppEnv>, err: unknown) {
  // held requests still count as in progress where the host sheds load: past a few, refuse at once
  if (!(err instanceof ApiError) || err.status !== 429 || held >= MAX_HELD) return;
  held++;
  try {
    await c.get('releaseDb')();
    const retry = Number(err.headers?.['Retry-After'] ?? 1);
    // jittered: refusals held alike would come back together, a burst of their own
    await new Promise((r) => setTimeout(r, Math.min(HOLD_MS, retry * 1000) * (0.5 + Math.random() / 2)));
  } finally {
    held--;
  }
}

/**
 * The middleware that keeps one caller from stalling the others: a bucket per
 * caller and one per tenant (all of its tokens and users together, so minting
 * tokens does not multiply the budget), one per connector, and one per source
 * address for failed authentications, checked before a credential is even
 * looked at: guessing tokens or join links costs the server nothing.
 */
export function throttles(deps: AppDeps) {
  const l = deps.limits;
  const buckets = deps.buckets ?? localBuckets;
  const caller = buckets({ name: 'caller', perSecond: l.caller, what: `${l.caller} requests per second from this caller` });
  const tenant = buckets({ name: 'tenant', perSecond: l.tenant, what: `${l.tenant} requests per second for this tenant` });
  const connector = buckets({ name: 'connector', perSecond: l.connector, what: `${l.connector} requests per second from this connector` });
  const failures = buckets({
    name: 'auth-failures',
    perSecond: l.authFailuresPerMinute / 60,
    burst: Math.max(1, l.authFailuresPerMinute * 2),
    what: `${l.authFailuresPerMinute} failed authentications a minute from this address`,
  });
  const sourceOf = deps.sourceOf;

  return {
    /**
     * Before authentication: a source that failed too often waits; a credential
     * that fails now counts against it. Each credential's own bucket is taken
     * here too, keyed by the credential as sent: a caller past its rate is
     * refused for the cost of a bucket lookup, without the database lookup that
     * authenticating it takes (which would slow every other tenant down).
     */
    async guard(c: Context<AppEnv>, next: Next) {
      const source = sourceOf(c);
      const credential = c.req.header('authorization');
      try {
        // A shared store answers later: both asked side by side cost one round trip, not two (the price: a
        // source already refused still spends a token of the credential it sent, which only its holder can).
        // In this process a refusal is thrown at once, and the credential's bucket is not touched.
        const checked = failures.check(source);
        const bucket = c.req.path.startsWith('/v1/connector/') ? connector : caller;
        const taken = credential === undefined ? undefined : bucket.take(credential);
        if (checked || taken) await Promise.all([checked, taken]);
      } catch (err) {
        await slowDown(c, err);
        throw err;
      }
      await next();
      const presented = credential !== undefined || c.req.path.startsWith('/v1/join/') || c.req.path === '/v1/connector/register';
      if (presented && (c.res.status === 401 || (c.res.status === 404 && c.req.path.startsWith('/v1/join/')))) await failures.charge(source);
    },
    /** After authentication on the tenant API: all of a tenant's callers together (known only once the caller is). */
    async tenant(c: Context<AppEnv>, next: Next) {
      const name = c.req.path.split('/')[3];
      const taken = name ? tenant.take(name) : undefined;
      if (taken) await taken;
      await next();
    },
  };
}
