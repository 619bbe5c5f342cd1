import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which tenants got new webhook deliveries during a piece of work (a request,
 * a scheduled run), so that whoever runs it can have them sent once its
 * transaction has committed. Deliveries written outside such a scope are not
 * lost: the outbox is in Postgres, and the next poll or cron run finds them.
 */
const scope = new AsyncLocalStorage<Set<string>>();

export function noteEnqueued(tenantIds: Iterable<string>) {
  const tenants = scope.getStore();
  if (tenants) for (const t of tenantIds) tenants.add(t);
}

/** Runs `fn`; answers its result and the tenants it enqueued deliveries for. */
export async function trackEnqueued<T>(fn: () => Promise<T>): Promise<{ result: T; tenants: string[] }> {
  const tenants = new Set<string>();
  const result = await scope.run(tenants, fn);
  return { result, tenants: [...tenants] };
}
