import type { Push, PushTarget } from './push.js';

type Listener = (revision: number) => void;

/** In-process push: waiters keyed by cluster, woken synchronously on publish. */
export class LocalPush implements Push {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Calls `fn` for every later revision of the cluster until the returned function is called. */
  subscribe(clusterUid: string, fn: Listener): () => void {
    let set = this.listeners.get(clusterUid);
    if (!set) this.listeners.set(clusterUid, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.listeners.get(clusterUid) === set) this.listeners.delete(clusterUid);
    };
  }

  async publish(target: PushTarget, revision: number): Promise<void> {
    for (const fn of [...(this.listeners.get(target.clusterUid) ?? [])]) fn(revision);
  }

  wait(target: PushTarget, after: number, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
    return new Promise((resolve) => {
      const done = (revision: number | undefined) => {
        clearTimeout(timer);
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
        resolve(revision);
      };
      const unsubscribe = this.subscribe(target.clusterUid, (revision) => {
        if (revision > after) done(revision);
      });
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const onAbort = () => done(undefined);
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
