import { DEFAULT_BACKOFF, backoffDelay, sleep } from './backoff.js';
import { divergence } from './divergence.js';
import type { KubeClient } from './kube/client.js';
import { KubeError } from './kube/http.js';
import { refId, refOf, type KubeObject } from './kube/types.js';
import { LABEL_TENANT } from './labels.js';
import type { Log } from './log.js';

export interface DriftHooks {
  /** the object as last applied, for an owned id; undefined when it is not desired */
  desired: (id: string) => KubeObject | undefined;
  /** a live object of a desired id changed: report its health */
  observed: (live: KubeObject) => void;
  /** a desired object was changed or deleted in the cluster */
  drifted: (id: string, why: string) => void;
}

/**
 * One watch per kind the connector owns, across namespaces, selecting
 * `fleetplane.io/tenant=<tenant>`: list, then watch from the list's
 * resourceVersion (bookmarks keep it fresh; 410 Gone lists again). Holds no
 * copies of objects: only which kinds are watched and their resourceVersion.
 */
export class DriftWatch {
  private readonly kinds = new Map<string, AbortController>();
  /** kinds whose watch has listed and not failed since: their changes reach `observed` */
  private readonly live = new Set<string>();

  constructor(private readonly kube: KubeClient, private readonly tenant: string, private readonly hooks: DriftHooks, private readonly log: Log) {}

  /** Watches exactly these kinds (`apiVersion/Kind`). */
  track(gvks: Iterable<string>) {
    const want = new Set(gvks);
    for (const [gvk, stop] of this.kinds) {
      if (!want.has(gvk)) {
        stop.abort();
        this.kinds.delete(gvk);
        this.live.delete(gvk);
      }
    }
    for (const gvk of want) {
      if (this.kinds.has(gvk)) continue;
      const stop = new AbortController();
      this.kinds.set(gvk, stop);
      const i = gvk.lastIndexOf('/');
      void this.run(gvk.slice(0, i), gvk.slice(i + 1), stop.signal);
    }
  }

  /**
   * Whether objects of this kind are watched and the watch holds: it has
   * listed and not failed since, so every change to them is told (observed),
   * now or once a stream that ended resumes. A watch that fails (refused,
   * say) tells nothing until it lists again.
   */
  tracks(apiVersion: string, kind: string): boolean {
    return this.live.has(`${apiVersion}/${kind}`);
  }

  private inspect(live: KubeObject) {
    const id = refId(refOf(live));
    const desired = this.hooks.desired(id);
    if (!desired) return;
    this.hooks.observed(live);
    if (live.metadata.deletionTimestamp) return;
    const path = divergence(desired, live);
    if (path) this.hooks.drifted(id, `changed at ${path}`);
  }

  private async run(apiVersion: string, kind: string, signal: AbortSignal) {
    const selector = `${LABEL_TENANT}=${this.tenant}`;
    const gvk = `${apiVersion}/${kind}`;
    let failures = 0;
    while (!signal.aborted) {
      try {
        // paged, as client-go's reflector lists: a big kind never sits in memory at once
        let rv = '';
        let next: string | undefined;
        do {
          const page = await this.kube.list(apiVersion, kind, { labelSelector: selector, limit: 100, ...(next ? { continue: next } : {}) });
          for (const o of page.items) this.inspect({ ...o, apiVersion, kind });
          rv = page.metadata.resourceVersion;
          next = page.metadata.continue || undefined;
        } while (next && !signal.aborted);
        if (!signal.aborted) this.live.add(gvk);
        const base = await this.kube.collection(apiVersion, kind);
        while (!signal.aborted) {
          const query = { allowWatchBookmarks: true, labelSelector: selector, resourceVersion: rv, timeoutSeconds: 240 + Math.floor(Math.random() * 120) };
          let gone = false;
          await this.kube.http.stream(base, query, (e) => {
            if (e.type === 'ERROR') {
              if (e.object?.code === 410) gone = true;
              return;
            }
            if (e.object?.metadata?.resourceVersion) rv = e.object.metadata.resourceVersion;
            if (e.type === 'BOOKMARK') return;
            const live = { ...e.object, apiVersion, kind } as KubeObject;
            if (e.type === 'DELETED') {
              const id = refId(refOf(live));
              if (this.hooks.desired(id)) {
                this.hooks.observed({ ...live, metadata: { ...live.metadata, deletionTimestamp: live.metadata.deletionTimestamp ?? new Date().toISOString() } });
                this.hooks.drifted(id, 'deleted');
              }
            } else this.inspect(live);
          }, signal);
          failures = 0;
          if (gone) break; // list again
        }
      } catch (e) {
        if (signal.aborted) return; // untracked: a new watch of the kind may hold it already
        this.live.delete(gvk);
        if (e instanceof KubeError && e.code === 410) continue;
        const wait = backoffDelay(failures++, { ...DEFAULT_BACKOFF, capMs: 30_000 });
        this.log('warn', 'drift watch failed', { kind: gvk, error: (e as Error).message, retryInMs: wait });
        await sleep(wait, signal);
      }
    }
  }

  close() {
    for (const stop of this.kinds.values()) stop.abort();
    this.kinds.clear();
    this.live.clear();
  }
}
