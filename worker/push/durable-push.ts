import type { Context } from 'hono';
import type { Push, PushTarget } from './push.js';
import type { DurableObjectNamespace } from './workers-types.js';

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

  async publish(target: PushTarget, revision: number) {
    await this.hub(target).fetch(DurablePush.url('/publish', target, { revision }), { method: 'POST' });
  }

  async wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal) {
    const res = await this.hub(target).fetch(DurablePush.url('/wait', target, { after, timeoutMs }), signal ? { signal } : {});
    if (res.status !== 200) return undefined;
    return ((await res.json()) as { revision: number }).revision;
  }

  socket(c: Context, target: PushTarget, after: number) {
    return this.hub(target).fetch(new Request(DurablePush.url('/socket', target, { after }), c.req.raw));
  }
}
