import type { Context } from 'hono';
import type { FeedKind } from './feed.js';
import type { Publication, Push, PushTarget } from './push.js';
import type { DurableObjectNamespace } from './workers-types.js';
import type { OpenHead } from '../gateway/tunnel/frames.js';
import { answerOf, clusterUnavailable, type TunnelAnswer } from '../gateway/tunnel-request.js';
import { ApiError } from '../lib/problem.js';

/** How the hub says that it, not the cluster's API server, refused a gateway request. */
export const RELAY_ERROR = 'x-fleetplane-relay-error';
export const RELAY_OPEN = 'x-fleetplane-open';

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

/** Push on Workers, through the tenant's PushHub Durable Object. */
export class DurablePush implements Push {
  constructor(private readonly hubs: DurableObjectNamespace) {}

  private hub(target: PushTarget) {
    return this.hubs.get(this.hubs.idFromName(target.tenantUid));
  }

  private static url(path: string, target: PushTarget, params: Record<string, number>) {
    const q = new URLSearchParams({ cluster: target.clusterUid });
    for (const [k, v] of Object.entries(params)) q.set(k, String(v));
    return `https://push-hub${path}?${q}`;
  }

  /**
   * Best effort: the change is already committed, so a hub that cannot be
   * reached must not fail the write. Connectors still see the new revision on
   * their next heartbeat or watch.
   */
  async publish(pushes: Publication[]) {
    // one request per tenant's hub, however many clusters moved (a request may make only so many subrequests)
    const byTenant = new Map<string, [string, number][]>();
    for (const p of pushes) {
      const list = byTenant.get(p.target.tenantUid) ?? [];
      list.push([p.target.clusterUid, p.revision]);
      byTenant.set(p.target.tenantUid, list);
    }
    await Promise.all([...byTenant].map(async ([tenantUid, revisions]) => {
      try {
        const hub = this.hubs.get(this.hubs.idFromName(tenantUid));
        const res = await hub.fetch('https://push-hub/publish-many', { method: 'POST', body: JSON.stringify(revisions) });
        if (res.status !== 204) console.error(`push: publish to the hub answered ${res.status}: ${await res.text()}`);
      } catch (err) {
        console.error('push: publish to the hub failed:', err);
      }
    }));
  }

  /** Nothing to forget: an isolate keeps no tenant or token (it could not hear that they changed). */
  async forget(): Promise<void> {}

  async announce(tenantUid: string, kinds: FeedKind[]) {
    const hub = this.hubs.get(this.hubs.idFromName(tenantUid));
    const res = await hub.fetch('https://push-hub/feed', { method: 'POST', body: JSON.stringify(kinds) });
    if (res.status !== 204) console.error(`feed: announce to the hub answered ${res.status}`);
  }

  feed(tenantUid: string, signal?: AbortSignal) {
    return this.hubs.get(this.hubs.idFromName(tenantUid)).fetch('https://push-hub/feed', signal ? { signal } : {});
  }

  async wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal) {
    if (signal?.aborted) return undefined;
    try {
      const res = await this.hub(target).fetch(DurablePush.url('/wait', target, { after, timeoutMs }), signal ? { signal } : {});
      if (res.status !== 200) {
        await res.body?.cancel();
        return undefined;
      }
      return ((await res.json()) as { revision: number }).revision;
    } catch (err) {
      // aborted by the caller: like the other implementations, that is "nothing new"
      if (isAbort(err) || signal?.aborted) return undefined;
      throw err;
    }
  }

  async disconnect(target: PushTarget) {
    try {
      await this.hub(target).fetch(DurablePush.url('/disconnect', target, {}), { method: 'POST' });
    } catch (err) {
      console.error('push: disconnect at the hub failed:', err);
    }
  }

  async relay(target: PushTarget, head: OpenHead, body: ReadableStream<Uint8Array> | null, signal?: AbortSignal): Promise<TunnelAnswer> {
    const res = await this.hub(target).fetch(DurablePush.url('/gateway', target, {}), {
      method: 'POST', headers: { [RELAY_OPEN]: JSON.stringify(head) }, body, ...(signal ? { signal } : {}),
    });
    const why = res.headers.get(RELAY_ERROR);
    if (why !== null) {
      await res.body?.cancel();
      throw res.status === 503 ? clusterUnavailable(why) : new ApiError(res.status, 'bad_gateway', why);
    }
    return answerOf(res);
  }

  async socket(c: Context, target: PushTarget, after: number, current: () => Promise<number>) {
    // the hub remembers revisions published meanwhile, so reading first loses nothing
    const now = await current();
    return this.hub(target).fetch(new Request(DurablePush.url('/socket', target, { after, current: now }), c.req.raw));
  }
}
