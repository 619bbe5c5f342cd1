import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { applyDefaults } from './defaults.js';
import { conflict, KubeError, notFound, pathNotFound } from './errors.js';
import { apiVersionOf, kindFor, kindByName, KINDS, type KindInfo } from './kinds.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { updateOwnership } from './managed-fields.js';
import { validateObject } from './validation.js';
import { seedCluster } from './seed.js';
import { startWatch } from './store-watch.js';
import { WatchHub, type Change, type Listener } from './watch-hub.js';

/**
 * The object table under KubeStore: reads, the single write path (insert /
 * update / remove) with the apiserver's bookkeeping, and watch.
 *
 * Objects are never mutated once stored: every write stores a new object, so
 * reads, list results and watch events can share references (cheap in memory)
 * — callers must treat what they get as read-only. One global counter gives
 * every write its resourceVersion, as etcd's revision does.
 */
export interface Selectors { labelSelector?: string | null; fieldSelector?: string | null }
export interface WriteOptions {
  manager?: string;
  subresource?: 'status' | '';
  /** Internal: take the body's status too (the apiserver's own writes, e.g. a Namespace turning Terminating). */
  keepStatus?: boolean;
}

export class StoreCore {
  private readonly objects = new Map<KindInfo, Map<string, any>>();
  private rv = 0;
  readonly hub: WatchHub;

  constructor(opts: { historyLimit?: number; namespaces?: string[]; nodes?: number } = {}) {
    this.hub = new WatchHub(opts.historyLimit ?? 1000);
    seedCluster(this, opts);
  }

  get resourceVersion(): string { return String(this.rv); }

  /** The kind for apiVersion/kind, or the apiserver's 404 for an unknown resource. */
  info(apiVersion: string, kind: string): KindInfo {
    const info = kindFor(apiVersion, kind);
    if (!info) throw pathNotFound();
    return info;
  }

  private bucket(info: KindInfo): Map<string, any> {
    let b = this.objects.get(info);
    if (!b) this.objects.set(info, (b = new Map()));
    return b;
  }

  private static key(info: KindInfo, namespace: string | undefined, name: string) {
    return info.namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): any | undefined {
    const info = kindFor(apiVersion, kind);
    return info && this.bucket(info).get(StoreCore.key(info, namespace, name));
  }

  /** Like get, with the apiserver's NotFound when absent. */
  read(info: KindInfo, namespace: string | undefined, name: string): any {
    const obj = this.bucket(info).get(StoreCore.key(info, namespace, name));
    if (!obj) throw notFound(info, name);
    return obj;
  }

  list(apiVersion: string, kind: string, namespace?: string, selectors: Selectors = {}): any[] {
    return this.listInfo(this.info(apiVersion, kind), namespace, selectors);
  }

  listInfo(info: KindInfo, namespace: string | undefined, selectors: Selectors = {}): any[] {
    const match = this.matcher(info, namespace, selectors);
    return [...this.bucket(info).values()].filter(match);
  }

  all(): any[] {
    return KINDS.flatMap((info) => [...this.bucket(info).values()]);
  }

  /** A filter for objects of a kind in a namespace (all when undefined) matching the selectors. */
  matcher(info: KindInfo, namespace: string | undefined, s: Selectors): (obj: any) => boolean {
    const labels = parseLabelSelector(s.labelSelector);
    const fields = parseFieldSelector(s.fieldSelector);
    return (obj) =>
      obj.kind === info.kind && obj.apiVersion === apiVersionOf(info) &&
      (!info.namespaced || namespace === undefined || obj.metadata.namespace === namespace) &&
      labels(obj.metadata.labels) && fields(obj);
  }

  /** 404 for a missing namespace, 403 for one being deleted — checked before creating inside it. */
  requireNamespace(info: KindInfo, namespace: string | undefined, name: string): void {
    if (!info.namespaced) return;
    const nsInfo = kindByName('Namespace')!;
    const ns = this.bucket(nsInfo).get(namespace ?? '');
    if (!ns) throw notFound(nsInfo, namespace ?? '');
    if (ns.status?.phase === 'Terminating') {
      throw new KubeError(403, 'Forbidden', `${info.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name: namespace, kind: 'namespaces', causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] });
    }
  }

  /**
   * Stores a new object: uid, creationTimestamp, generation 1 and the status
   * the apiserver starts it with; the creator owns every field it set.
   */
  insert(info: KindInfo, body: any, manager: string, managedFields?: any[]): any {
    const namespace = info.namespaced ? body.metadata?.namespace : undefined;
    const meta = { ...(body.metadata ?? {}) };
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomUUID().replace(/-/g, '').slice(0, 5);
    this.requireNamespace(info, namespace, meta.name ?? '');
    if (this.bucket(info).has(StoreCore.key(info, namespace, meta.name ?? ''))) {
      throw new KubeError(409, 'AlreadyExists', `${info.group ? `${info.plural}.${info.group}` : info.plural} "${meta.name}" already exists`,
        { name: meta.name, group: info.group, kind: info.plural });
    }
    const { status: _dropped, ...rest } = body;
    const next: any = { ...rest, apiVersion: apiVersionOf(info), kind: info.kind };
    if (!info.status && body.status !== undefined) next.status = body.status;
    next.metadata = {
      ...meta, ...(namespace !== undefined ? { namespace } : {}), uid: randomUUID(),
      generation: 1, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    delete next.metadata.resourceVersion;
    applyDefaults(info, next, undefined);
    validateObject(info, next);
    next.metadata.managedFields = managedFields ?? updateOwnership(undefined, next, manager, info);
    return this.publish(info, undefined, next);
  }

  /**
   * Stores a new version of an existing object. The main resource cannot
   * change status and the status subresource cannot change anything else;
   * generation moves only when something outside metadata and status changed;
   * a write that changes nothing keeps the old resourceVersion and emits no event.
   */
  update(info: KindInfo, prev: any, body: any, opts: WriteOptions & { managedFields?: any[] } = {}): any {
    const scope = opts.subresource === 'status' ? 'status' : '';
    let next: any;
    if (scope === 'status') next = { ...prev, status: body.status };
    else {
      next = { ...body, apiVersion: prev.apiVersion, kind: prev.kind };
      if (info.status && !opts.keepStatus) { if (prev.status === undefined) delete next.status; else next.status = prev.status; }
    }
    const { managedFields: _m, resourceVersion: _r, ...userMeta } = scope === 'status' ? prev.metadata : (body.metadata ?? {});
    next.metadata = {
      ...userMeta,
      name: prev.metadata.name, ...(info.namespaced ? { namespace: prev.metadata.namespace } : {}),
      uid: prev.metadata.uid, generation: prev.metadata.generation, creationTimestamp: prev.metadata.creationTimestamp,
      ...(prev.metadata.deletionTimestamp ? { deletionTimestamp: prev.metadata.deletionTimestamp } : {}),
    };
    applyDefaults(info, next, prev);
    validateObject(info, next);
    const { metadata: _pm, status: _ps, ...prevSpec } = prev;
    const { metadata: _nm, status: _ns, ...nextSpec } = next;
    if (!isDeepStrictEqual(prevSpec, nextSpec)) next.metadata.generation = prev.metadata.generation + 1;
    next.metadata.managedFields = opts.managedFields ?? updateOwnership(prev, next, opts.manager ?? 'unknown', info, scope);
    if (unchanged(prev, next)) return prev;
    return this.publish(info, prev, next);
  }

  /** Optimistic concurrency: a body carrying a resourceVersion must carry the current one. */
  static checkVersion(info: KindInfo, prev: any, rv: string | undefined): void {
    if (rv && rv !== prev.metadata.resourceVersion) {
      throw conflict(info, prev.metadata.name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
  }

  /** Removes an object, emitting DELETED with the deletion's resourceVersion. */
  remove(info: KindInfo, prev: any): any {
    if (this.dry) return prev;
    const gone = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(++this.rv) } };
    this.bucket(info).delete(StoreCore.key(info, prev.metadata.namespace, prev.metadata.name));
    this.hub.publish({ type: 'DELETED', rv: this.rv, object: gone, previous: prev });
    return gone;
  }

  /** Set while a `dryRun=All` request runs: writes are computed and answered, never stored. */
  protected dry = false;

  withDryRun<T>(fn: () => T): T {
    this.dry = true;
    try { return fn(); } finally { this.dry = false; }
  }

  private publish(info: KindInfo, prev: any | undefined, next: any): any {
    if (this.dry) {
      if (prev) next.metadata.resourceVersion = prev.metadata.resourceVersion;
      return next;
    }
    next.metadata.resourceVersion = String(++this.rv);
    this.bucket(info).set(StoreCore.key(info, next.metadata.namespace, next.metadata.name), next);
    this.hub.publish({ type: prev ? 'MODIFIED' : 'ADDED', rv: this.rv, object: next, previous: prev });
    return next;
  }

  /** See startWatch: the kept changes after a resourceVersion (or the current objects), then live ones. */
  watch(info: KindInfo, namespace: string | undefined, opts: Selectors & { resourceVersion?: string | null }, listener: (c: Change) => void) {
    return startWatch(this, info, namespace, opts, listener);
  }

  onChange(listener: Listener): () => void {
    return this.hub.subscribe(listener);
  }
}

/** Equal apart from managedFields timestamps: such a write is a no-op, as on a real apiserver. */
function unchanged(prev: any, next: any): boolean {
  const strip = (o: any) => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion: undefined, managedFields: (o.metadata.managedFields ?? []).map((m: any) => ({ ...m, time: undefined })) },
  });
  return isDeepStrictEqual(strip(prev), strip(next));
}
