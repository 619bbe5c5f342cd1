import type { Context } from 'hono';
import type { AppEnv } from '../context.js';
import type { FeedKind } from './feed.js';

/** What a successful write under /v1/tenants/{t}/... changes on the console's pages. */
const KINDS_OF: Record<string, FeedKind[]> = {
  // a cluster's labels and its removal move apps' placements too
  clusters: ['Cluster', 'App'],
  apps: ['App'],
  namespaces: ['Namespace'],
};
const TENANT_WRITE = /^\/v1\/tenants\/[^/]+\/([a-z-]+)/;

/**
 * Once the request is answered (its transactions committed): tells the
 * console tabs of the tenants it changed. Tenant API writes are noted here
 * from their path; connector routes and scheduled work note what they changed
 * themselves (a heartbeat changes a page only when it moves a phase).
 */
export function announceChanges(c: Context<AppEnv>): Promise<void> | undefined {
  const notes = c.get('feed');
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD' && c.res.status < 400) {
    const kinds = KINDS_OF[TENANT_WRITE.exec(c.req.path)?.[1] ?? ''];
    const tenant = c.get('access')?.tenant.uid;
    if (kinds && tenant) notes.note(tenant, ...kinds);
  }
  if (notes.byTenant.size === 0) return undefined;
  const push = c.get('deps').push;
  return notes.announce((t, kinds) => push.announce(t, kinds));
}
