import { ClusterCache } from './cluster-cache.js';
import { TokenCache } from './token-cache.js';
import { FeedListeners, type FeedKind } from './feed.js';
import type { Publication, Push, PushTarget } from './push.js';

export interface Listener {
  revision(revision: number): void;
  /** the cluster's watches are over (credential revoked, cluster deleted) */
  end(): void;
}

/** In-process push: listeners keyed by cluster, woken synchronously on publish. */
export class LocalPush implements Push {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** the console tabs open in this process */
  readonly feeds = new FeedListeners();
  readonly clusters = new ClusterCache();
  readonly tokens = new TokenCache();

  async forget(tenantUid: string): Promise<void> {
    this.tokens.dropTenant(tenantUid);
  }

  async announce(tenantUid: string, kinds: FeedKind[]): Promise<void> {
    this.feeds.announce(tenantUid, kinds);
  }

  feed(tenantUid: string, signal?: AbortSignal): Response {
    return this.feeds.open(tenantUid, signal);
  }

  /** Calls the listener for every later event of the cluster until the returned function is called. */
  subscribe(clusterUid: string, listener: Listener): () => void {
    let set = this.listeners.get(clusterUid);
    if (!set) this.listeners.set(clusterUid, (set = new Set()));
    const mine = set;
    mine.add(listener);
    return () => {
      mine.delete(listener);
      if (mine.size === 0 && this.listeners.get(clusterUid) === mine) this.listeners.delete(clusterUid);
    };
  }

  private each(clusterUid: string, fn: (l: Listener) => void) {
    for (const l of [...(this.listeners.get(clusterUid) ?? [])]) fn(l);
  }

  async publish(pushes: Publication[]): Promise<void> {
    for (const p of pushes) this.clusters.advance(p.target.clusterUid, p.revision);
    for (const p of pushes) this.each(p.target.clusterUid, (l) => l.revision(p.revision));
  }

  async disconnect(target: PushTarget): Promise<void> {
    this.clusters.drop(target.clusterUid);
    this.each(target.clusterUid, (l) => l.end());
  }

  wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
    return new Promise((resolve) => {
      const done = (revision: number | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        resolve(revision);
      };
      const unsubscribe = this.subscribe(target.clusterUid, {
        revision: (revision) => revision > after && done(revision),
        end: () => done(undefined),
      });
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const onAbort = () => done(undefined);
      if (signal?.aborted) return done(undefined);
      signal?.addEventListener('abort', onAbort);
    });
  }

  /** Waiting connectors, for metrics and tests. */
  get waiting(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
