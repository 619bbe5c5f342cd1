import { isDeepStrictEqual } from 'node:util';
import { kindByName } from './kinds.js';
import type { KubeStore } from './store.js';
import type { Change } from './watch-hub.js';
import { CONTROLLED, ROLLS_OUT, rolloutStatus, statusFor, type Phase } from './workload-status.js';

/**
 * Stands in for the cluster's controllers: watches the store and writes status
 * through the status subresource (a MODIFIED event, a new resourceVersion, no
 * new generation). With `auto`, objects become ready after each change —
 * right away or after `delayMs`, reporting progress meanwhile; without it they
 * stay progressing until `makeReady`. `fail` pins an object failed until
 * `makeReady` clears it. A workload whose pods run one of `stuckImages` stays
 * progressing, as pods that never pull or never pass their readiness probe.
 */
export class Controller {
  auto: boolean;
  private readonly readyGeneration = new Map<string, number>();
  private readonly failed = new Map<string, string | undefined>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: KubeStore, opts: { auto?: boolean; delayMs?: number; stuckImages?: string[] } = {}) {
    this.auto = opts.auto ?? true;
    this.delayMs = opts.delayMs ?? 0;
    this.stuckImages = new Set(opts.stuckImages ?? []);
    this.unsubscribe = store.onChange((c) => this.onChange(c));
  }
  private readonly delayMs: number;
  private readonly stuckImages: Set<string>;

  private stuck(obj: any): boolean {
    const containers: { image?: string }[] = obj.spec?.template?.spec?.containers ?? [];
    return containers.some((c) => c.image !== undefined && this.stuckImages.has(c.image));
  }

  makeReady(kind: string, namespace: string, name: string): void {
    const obj = this.find(kind, namespace, name);
    const key = keyOf(obj);
    this.failed.delete(key);
    this.readyGeneration.set(key, obj.metadata.generation);
    this.write(obj, 'ready');
  }

  fail(kind: string, namespace: string, name: string, message?: string): void {
    const obj = this.find(kind, namespace, name);
    this.failed.set(keyOf(obj), message);
    this.write(obj, 'failed', message);
  }

  /** `kubectl argo rollouts promote`: a Rollout paused at a canary step takes its current template as stable. */
  promote(namespace: string, name: string): void {
    const obj = this.find('Rollout', namespace, name);
    this.readyGeneration.set(keyOf(obj), obj.metadata.generation);
    this.store.setStatus(obj, rolloutStatus(obj, 'promoted'));
  }

  close(): void {
    this.unsubscribe();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private find(kind: string, namespace: string, name: string): any {
    const info = kindByName(kind);
    if (!info) throw new Error(`unknown kind ${kind}`);
    return this.store.read(info, info.namespaced ? namespace : undefined, name);
  }

  private onChange(c: Change): void {
    if (!CONTROLLED.has(c.object.kind)) return;
    const key = keyOf(c.object);
    if (c.type === 'DELETED') {
      this.readyGeneration.delete(key);
      this.failed.delete(key);
      clearTimeout(this.timers.get(key));
      this.timers.delete(key);
      return;
    }
    // Controllers act after the write that woke them, never inside it: a nested
    // write here would reach some watchers before the change that caused it.
    setImmediate(() => this.reconcile(key, c.object));
  }

  private reconcile(key: string, seen: any): void {
    const obj = this.store.get(seen.apiVersion, seen.kind, seen.metadata.namespace, seen.metadata.name);
    if (!obj) return;
    if (this.failed.has(key)) return this.write(obj, 'failed', this.failed.get(key));
    if (this.stuck(obj)) return this.write(obj, 'progressing');
    const generation = obj.metadata.generation;
    const readyAt = this.readyGeneration.get(key);
    if (readyAt !== undefined && (readyAt === generation || !ROLLS_OUT.has(obj.kind))) return this.write(obj, 'ready');
    if (this.auto && this.delayMs <= 0) {
      this.readyGeneration.set(key, generation);
      return this.write(obj, 'ready');
    }
    this.write(obj, 'progressing');
    if (this.auto && !this.timers.has(key)) {
      this.timers.set(key, setTimeout(() => {
        this.timers.delete(key);
        const current = this.store.get(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
        if (!current || this.failed.has(key) || this.stuck(current)) return;
        this.readyGeneration.set(key, current.metadata.generation);
        this.write(current, 'ready');
      }, this.delayMs));
    }
  }

  /** Writes the status for a phase unless it is already there (so our own writes do not loop). */
  private write(obj: any, phase: Phase, message?: string): void {
    const status = statusFor(obj, phase, message, Math.max(1, this.store.list('v1', 'Node').length));
    if (status === undefined || sameIgnoringTimes(obj.status, status)) return;
    this.store.setStatus(obj, status);
  }
}

const keyOf = (obj: any) => `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

function sameIgnoringTimes(a: any, b: any): boolean {
  const strip = (v: any): any => JSON.parse(JSON.stringify(v ?? {}, (k, x) => (/Time$/.test(k) ? undefined : x)));
  return isDeepStrictEqual(strip(a), strip(b));
}

