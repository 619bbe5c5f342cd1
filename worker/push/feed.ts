/**
 * The console's live feed: which kinds of a tenant's objects changed, sent to
 * each open tab as Server-Sent Events (`event: Cluster`, `App`, `Namespace`).
 * It says only "look again": the page re-reads its fragments through the API,
 * with the viewer's own token and role, so the feed carries no data to leak.
 */
export const FEED_KINDS = ['Cluster', 'App', 'Namespace'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const isFeedKind = (k: unknown): k is FeedKind => FEED_KINDS.includes(k as FeedKind);

/** Changes noted during a piece of work, per tenant; announced once it has committed. */
export class FeedNotes {
  readonly byTenant = new Map<string, Set<FeedKind>>();

  note(tenantUid: string, ...kinds: FeedKind[]) {
    let set = this.byTenant.get(tenantUid);
    if (!set) this.byTenant.set(tenantUid, (set = new Set()));
    for (const k of kinds) set.add(k);
  }

  /** Announces each tenant's kinds; best effort, as the change is already committed. */
  async announce(announce: (tenantUid: string, kinds: FeedKind[]) => Promise<void>) {
    await Promise.all([...this.byTenant].map(([t, kinds]) =>
      announce(t, [...kinds]).catch((err) => console.error('feed: announcing a change failed:', err))));
  }
}

/** However many changes arrive, a tab hears of each kind at most this often. */
export const FEED_COALESCE_MS = 300;
/** A comment this often keeps proxies from closing an idle stream. */
export const FEED_KEEPALIVE_MS = 20_000;

const encoder = new TextEncoder();

/**
 * An SSE response fed by `subscribe` until the client goes away (`signal`) or
 * the stream is cancelled; the subscription is then ended.
 */
export function feedResponse(subscribe: (send: (kinds: FeedKind[]) => void) => () => void, signal?: AbortSignal): Response {
  let unsubscribe: (() => void) | undefined;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let flush: ReturnType<typeof setTimeout> | undefined;
  const pending = new Set<FeedKind>();
  let closed = false;
  const stop = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    clearInterval(keepAlive);
    clearTimeout(flush);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      write(`retry: 2000\n: connected\n\n`);
      unsubscribe = subscribe((kinds) => {
        for (const k of kinds) pending.add(k);
        flush ??= setTimeout(() => {
          flush = undefined;
          const kinds = [...pending];
          pending.clear();
          write(kinds.map((k) => `event: ${k}\ndata: {}\n\n`).join(''));
        }, FEED_COALESCE_MS);
      });
      keepAlive = setInterval(() => write(': keep-alive\n\n'), FEED_KEEPALIVE_MS);
      signal?.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      if (signal?.aborted) stop();
    },
    cancel: stop,
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
  });
}

/** Listeners of each tenant's feed, in one process (Node) or one Durable Object (Workers). */
export class FeedListeners {
  private readonly byTenant = new Map<string, Set<(kinds: FeedKind[]) => void>>();

  subscribe(tenantUid: string, send: (kinds: FeedKind[]) => void): () => void {
    let set = this.byTenant.get(tenantUid);
    if (!set) this.byTenant.set(tenantUid, (set = new Set()));
    const mine = set;
    mine.add(send);
    return () => {
      mine.delete(send);
      if (mine.size === 0 && this.byTenant.get(tenantUid) === mine) this.byTenant.delete(tenantUid);
    };
  }

  announce(tenantUid: string, kinds: FeedKind[]) {
    for (const send of [...(this.byTenant.get(tenantUid) ?? [])]) send(kinds);
  }

  open(tenantUid: string, signal?: AbortSignal): Response {
    return feedResponse((send) => this.subscribe(tenantUid, send), signal);
  }

  /** Open tabs, for tests and metrics. */
  get size(): number {
    let n = 0;
    for (const s of this.byTenant.values()) n += s.size;
    return n;
  }
}
