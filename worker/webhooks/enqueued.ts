import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which tenants got new webhook deliveries during a piece of work (a request,
 * a scheduled run), so that whoever runs it can have them sent once its
 * transaction has committed. Deliveries written outside such a scope are not
 * lost: the outbox is in Postgres, and the next poll or cron run finds them.
 *
 * In workerd the scope is an AsyncLocalStorage (native there). On Node an
 * AsyncLocalStorage holding a store turns on promise hooks for everything the
 * request awaits: it cost a PGlite heartbeat about 0.4 ms of its 2.5 (400
 * heartbeats, three rounds, side by side). Node's sender claims whatever is
 * due whoever woke it, so there a counter says whether anything was noted
 * while the work ran (by it, or by work beside it: one wake too many is a
 * round that finds nothing), and no tenants are named.
 */
const workerd = typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers';
const scope = workerd ? new AsyncLocalStorage<Set<string>>() : undefined;
let noted = 0;

export function noteEnqueued(tenantIds: Iterable<string>) {
  if (scope) {
    const tenants = scope.getStore();
    if (tenants) for (const t of tenantIds) tenants.add(t);
    return;
  }
  noted++;
}

/**
 * Notes again, in the caller's scope, what work shared by several callers
 * (a batch, in a scope of its own: trackEnqueued) enqueued. On Node the
 * count already moved when that work noted it.
 */
export function noteEnqueuedAgain(tenantIds: string[]) {
  if (scope && tenantIds.length > 0) noteEnqueued(tenantIds);
}

/** Runs `fn`; answers its result, whether deliveries were enqueued meanwhile, and for which tenants (in workerd). */
export async function trackEnqueued<T>(fn: () => Promise<T>): Promise<{ result: T; enqueued: boolean; tenants: string[] }> {
  if (scope) {
    const tenants = new Set<string>();
    const result = await scope.run(tenants, fn);
    return { result, enqueued: tenants.size > 0, tenants: [...tenants] };
  }
  const before = noted;
  const result = await fn();
  return { result, enqueued: noted !== before, tenants: [] };
}
