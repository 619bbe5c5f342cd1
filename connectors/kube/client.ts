import { KubeError, KubeHttp } from './http.js';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { refOf, type KubeObject, type ObjectRef } from './types.js';

type Target = ObjectRef | KubeObject;
const asRef = (t: Target): ObjectRef => ('metadata' in t && t.metadata ? refOf(t as KubeObject) : (t as ObjectRef));

export const FIELD_MANAGER = 'fleetplane-connector';

export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const groupPath = (apiVersion: string) => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
const enc = encodeURIComponent;

/**
 * The few calls the connector makes, on any kind: discovery (to know the
 * resource name and whether a kind is namespaced), get, list, server-side
 * apply, create, delete and watch.
 */
export class KubeClient {
  readonly http: KubeHttp;
  private readonly discovery = new Map<string, Promise<ApiResource[]>>();
  constructor(kc: KubeConfig) {
    this.http = new KubeHttp(kc);
  }

  /** The resources of one group/version, cached; a failed or stale answer is asked again. */
  private resources(apiVersion: string): Promise<ApiResource[]> {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      p = this.http.request<{ resources: ApiResource[] }>({ method: 'GET', path: groupPath(apiVersion) })
        .then((l) => l.resources.filter((r) => !r.name.includes('/')))
        .catch((e) => {
          this.discovery.delete(apiVersion);
          if (e instanceof KubeError && e.code === 404) return [];
          throw e;
        });
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  /** Forget discovery (after CRDs were applied, or when a kind was not found). */
  forgetDiscovery(apiVersion?: string) {
    if (apiVersion) this.discovery.delete(apiVersion);
    else this.discovery.clear();
  }

  async resource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    return (await this.resources(apiVersion)).find((r) => r.kind === kind);
  }

  /** The collection path of a kind (all namespaces when `namespace` is omitted). */
  async collection(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const r = await this.resource(apiVersion, kind);
    if (!r) throw new KubeError(404, 'NotFound', `the server does not serve ${kind} in ${apiVersion}`);
    const ns = r.namespaced && namespace ? `/namespaces/${enc(namespace)}` : '';
    return `${groupPath(apiVersion)}${ns}/${r.name}`;
  }

  private async path(t: Target) {
    const ref = asRef(t);
    const r = await this.resource(ref.apiVersion, ref.kind);
    if (!r) throw new KubeError(404, 'NotFound', `the server does not serve ${ref.kind} in ${ref.apiVersion}`);
    if (r.namespaced && !ref.namespace) throw new KubeError(422, 'Invalid', `${ref.kind}/${ref.name} is namespaced and has no namespace`);
    const ns = r.namespaced ? `/namespaces/${enc(ref.namespace!)}` : '';
    return `${groupPath(ref.apiVersion)}${ns}/${r.name}/${enc(ref.name)}`;
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: Target): Promise<KubeObject | undefined> {
    try {
      return await this.http.request<KubeObject>({ method: 'GET', path: await this.path(ref) });
    } catch (e) {
      if (e instanceof KubeError && e.code === 404) return undefined;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string; limit?: number; continue?: string } = {}) {
    const q = new URLSearchParams();
    if (opts.labelSelector) q.set('labelSelector', opts.labelSelector);
    if (opts.limit) q.set('limit', String(opts.limit));
    if (opts.continue) q.set('continue', opts.continue);
    const qs = q.size > 0 ? `?${q}` : '';
    return this.http.request<{ metadata: { resourceVersion: string; continue?: string }; items: KubeObject[] }>({
      method: 'GET', path: `${await this.collection(apiVersion, kind, opts.namespace)}${qs}`,
    });
  }

  /** Server-side apply under the connector's field manager. */
  async apply(obj: KubeObject, force: boolean, fieldManager = FIELD_MANAGER): Promise<KubeObject> {
    const q = `?fieldManager=${enc(fieldManager)}${force ? '&force=true' : ''}`;
    return this.http.request<KubeObject>({
      method: 'PATCH', path: `${await this.path(obj)}${q}`, body: obj, contentType: 'application/apply-patch+yaml',
    });
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const ns = obj.metadata.namespace;
    return this.http.request<KubeObject>({
      method: 'POST', path: `${await this.collection(obj.apiVersion, obj.kind, ns)}?fieldManager=${FIELD_MANAGER}`, body: obj,
    });
  }

  /** Deletes in the background (dependents are collected by the garbage collector); true when it existed. */
  async delete(ref: Target): Promise<boolean> {
    try {
      await this.http.request({
        method: 'DELETE', path: await this.path(ref), body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      });
      return true;
    } catch (e) {
      if (e instanceof KubeError && e.code === 404) return false;
      throw e;
    }
  }

  /** GET on a path outside the resource API (e.g. /version). */
  async getPath<T = any>(path: string): Promise<T> {
    return this.http.request<T>({ method: 'GET', path });
  }

  close() {
    this.http.close();
  }
}
