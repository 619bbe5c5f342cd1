import { badRequest, conflict, KubeError, unsupportedMediaType } from './errors.js';
import { KINDS, type KindInfo } from './kinds.js';
import { applyWithOwnership } from './managed-fields.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './merge.js';
import { StoreCore, type Selectors, type WriteOptions } from './store-core.js';

export type { Selectors, WriteOptions } from './store-core.js';

/**
 * The in-memory Kubernetes object store, usable without HTTP (the API server
 * wraps it; a simulation can drive it directly). Bodies passed in must
 * already name their apiVersion/kind/namespace; failures are KubeErrors that
 * carry the Status a real apiserver would answer.
 */
export const PATCH_TYPES = {
  apply: 'application/apply-patch+yaml',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/** The namespaces the apiserver refuses to delete. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' | string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export class KubeStore extends StoreCore {
  private timers = new Set<NodeJS.Timeout>();

  constructor(opts: { historyLimit?: number; namespaces?: string[]; nodes?: number; namespaceFinalizeDelayMs?: number } = {}) {
    super(opts);
    this.finalizeDelay = opts.namespaceFinalizeDelayMs ?? 0;
  }
  private readonly finalizeDelay: number;

  create(body: any, opts: WriteOptions = {}): any {
    return this.insert(this.info(body.apiVersion, body.kind), body, opts.manager ?? 'unknown');
  }

  /** PUT: the whole object (or, for the status subresource, its status) at the version the body names. */
  replace(body: any, opts: WriteOptions = {}): any {
    const info = this.info(body.apiVersion, body.kind);
    const prev = this.read(info, body.metadata?.namespace, body.metadata?.name);
    StoreCore.checkVersion(info, prev, body.metadata?.resourceVersion);
    return this.settle(info, this.update(info, prev, body, opts));
  }

  /** Server-side apply; creates the object when it does not exist. */
  apply(body: any, opts: { manager: string; force?: boolean; subresource?: 'status' | '' }): { object: any; created: boolean } {
    if (!opts.manager) throw badRequest('PATCH request: fieldManager is required for apply requests');
    const info = this.info(body.apiVersion, body.kind);
    const scope = opts.subresource === 'status' ? 'status' : '';
    const prev = this.get(body.apiVersion, body.kind, body.metadata?.namespace, body.metadata?.name);
    if (!prev) {
      if (scope) this.read(info, body.metadata?.namespace, body.metadata?.name);
      const merged = applyWithOwnership(undefined, body, opts.manager, !!opts.force, info);
      const { managedFields, ...metadata } = merged.metadata;
      return { object: this.insert(info, { ...merged, metadata }, opts.manager, managedFields), created: true };
    }
    StoreCore.checkVersion(info, prev, body.metadata?.resourceVersion);
    const merged = applyWithOwnership(prev, body, opts.manager, !!opts.force, info, scope);
    const object = this.update(info, prev, merged, { subresource: scope, managedFields: merged.metadata.managedFields });
    return { object: this.settle(info, object), created: false };
  }

  /** Merge, strategic-merge and JSON patches (and apply, by content type) on an existing object. */
  patch(apiVersion: string, kind: string, namespace: string | undefined, name: string, contentType: string, body: any, opts: WriteOptions & { force?: boolean } = {}): { object: any; created: boolean } {
    const info = this.info(apiVersion, kind);
    if (contentType === PATCH_TYPES.apply) {
      return this.apply({ ...body, metadata: { ...(body?.metadata ?? {}), name, ...(info.namespaced ? { namespace } : {}) } },
        { manager: opts.manager ?? '', force: opts.force, subresource: opts.subresource });
    }
    if (opts.force !== undefined) throw badRequest('force is not allowed for non-apply patches');
    const prev = this.read(info, namespace, name);
    let patched: any;
    if (contentType === PATCH_TYPES.merge) patched = mergePatch(prev, body);
    else if (contentType === PATCH_TYPES.strategic) patched = strategicMergePatch(prev, body);
    else if (contentType === PATCH_TYPES.json) patched = jsonPatch(prev, body);
    else throw unsupportedMediaType(contentType);
    if (patched?.metadata?.resourceVersion !== prev.metadata.resourceVersion) {
      throw conflict(info, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return { object: this.settle(info, this.update(info, prev, patched, opts)), created: false };
  }

  /**
   * Deletes now, or — for a Namespace or an object with finalizers — marks it
   * terminating and returns it (`removed: false`), as the apiserver does.
   */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): { object: any; removed: boolean } {
    const info = this.info(apiVersion, kind);
    const prev = this.read(info, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== prev.metadata.uid) throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${prev.metadata.uid}`);
    if (pre.resourceVersion && pre.resourceVersion !== prev.metadata.resourceVersion) {
      throw conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${prev.metadata.resourceVersion}`);
    }
    if (info.kind === 'Namespace' && SYSTEM_NAMESPACES.has(name)) {
      throw new KubeError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    }
    if (this.dry) return { object: prev, removed: !(info.kind === 'Namespace' || prev.metadata.finalizers?.length) };
    if (info.kind === 'Namespace' || prev.metadata.finalizers?.length) {
      if (prev.metadata.deletionTimestamp) return { object: prev, removed: false };
      const marked = {
        ...prev,
        metadata: { ...prev.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), deletionGracePeriodSeconds: 0 },
        ...(info.kind === 'Namespace' ? { status: { ...prev.status, phase: 'Terminating' } } : {}),
      };
      const object = this.update(info, prev, marked, { managedFields: prev.metadata.managedFields, keepStatus: true });
      if (info.kind === 'Namespace') this.later(() => this.finalizeNamespace(object));
      return { object, removed: false };
    }
    return { object: this.removeWithDependents(info, prev, opts.propagationPolicy), removed: true };
  }

  deleteCollection(apiVersion: string, kind: string, namespace: string | undefined, selectors: Selectors, opts: DeleteOptions = {}): any[] {
    return this.list(apiVersion, kind, namespace, selectors)
      .map((o) => this.delete(apiVersion, kind, o.metadata.namespace, o.metadata.name, { propagationPolicy: opts.propagationPolicy }).object);
  }

  /** Writes status through the status subresource, as a controller does. */
  setStatus(obj: any, status: unknown, manager = 'kube-controller-manager'): any {
    const info = this.info(obj.apiVersion, obj.kind);
    const prev = this.read(info, obj.metadata.namespace, obj.metadata.name);
    return this.update(info, prev, { ...prev, status }, { manager, subresource: 'status' });
  }

  /** Stops pending namespace finalization, for a clean shutdown. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(fn: () => void): void {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, this.finalizeDelay);
    this.timers.add(t);
  }

  /** An object marked for deletion goes once its last finalizer is removed. */
  private settle(info: KindInfo, obj: any): any {
    if (obj.metadata.deletionTimestamp && info.kind !== 'Namespace' && !obj.metadata.finalizers?.length) return this.removeWithDependents(info, obj, 'Background');
    return obj;
  }

  /** The namespace controller's job: delete everything inside, then the namespace. */
  private finalizeNamespace(ns: any): void {
    const name = ns.metadata.name;
    for (const info of KINDS) {
      if (!info.namespaced) continue;
      for (const obj of this.listInfo(info, name)) {
        const current = this.get(obj.apiVersion, obj.kind, name, obj.metadata.name);
        if (current) this.remove(info, current);
      }
    }
    const current = this.get('v1', 'Namespace', undefined, name);
    if (current) this.remove(this.info('v1', 'Namespace'), current);
  }

  /**
   * The garbage collector, collapsed into the delete: dependents (by
   * ownerReferences uid) are deleted too, or — with Orphan — released.
   */
  private removeWithDependents(info: KindInfo, obj: any, policy = 'Background'): any {
    const gone = this.remove(info, obj);
    for (const depInfo of KINDS) {
      for (const dep of this.listInfo(depInfo, depInfo.namespaced ? obj.metadata.namespace : undefined)) {
        const refs: any[] = dep.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === obj.metadata.uid)) continue;
        if (policy === 'Orphan') {
          const rest = refs.filter((r) => r.uid !== obj.metadata.uid);
          const { ownerReferences: _o, ...meta } = dep.metadata;
          this.update(depInfo, dep, { ...dep, metadata: rest.length ? { ...meta, ownerReferences: rest } : meta }, { manager: 'kube-controller-manager' });
        } else {
          this.removeWithDependents(depInfo, dep, policy);
        }
      }
    }
    return gone;
  }
}
