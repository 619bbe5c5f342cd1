import { outcome, type Api, type Outcome } from './api.js';

export const API_VERSION = 'fleetplane.io/v1';

/** A resource as the API returns it. */
export interface Resource {
  metadata: { name: string; labels?: Record<string, string>; resourceVersion: string; generation?: number; createdAt?: string };
  spec: Record<string, unknown>;
  status?: Record<string, any>;
}
export interface Page { items: Resource[]; nextCursor: string | null }

/** Which object: its name, and for a TemplateVersion the template it belongs to. */
export interface Ref { name: string; template?: string }
export type Write = { metadata: { name: string; labels: Record<string, string> }; spec: unknown };
type Headers = Record<string, string>;

export interface KindDef {
  kind: 'Cluster' | 'Template' | 'TemplateVersion' | 'Namespace' | 'App' | 'Webhook';
  /** lower-case words accepted on the command line, besides the kind itself and its plural */
  aliases: string[];
  /** apply order: clusters, templates, versions, namespaces, apps, webhooks */
  order: number;
  /** spec fields the server takes but never shows (a webhook's secret): not compared, sent whenever a file has them */
  writeOnly?: string[];
  get(api: Api, tenant: string, ref: Ref): Promise<Outcome<Resource>>;
  put(api: Api, tenant: string, ref: Ref, body: Write, headers: Headers): Promise<Outcome<Resource>>;
  delete?(api: Api, tenant: string, ref: Ref): Promise<Outcome<unknown>>;
  list(api: Api, tenant: string, q: { labelSelector?: string; cursor?: string; template?: string }): Promise<Outcome<Page>>;
}

const b = (v: Write) => v as never;
const q = (o: { labelSelector?: string; cursor?: string }) => ({ ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}), ...(o.cursor ? { cursor: o.cursor } : {}) });

const cluster: KindDef = {
  kind: 'Cluster', aliases: ['cl'], order: 0,
  get: (api, tenant, r) => outcome(api.GET('/v1/tenants/{tenant}/clusters/{cluster}', { params: { path: { tenant, cluster: r.name } } })),
  put: (api, tenant, r, body, headers) =>
    outcome(api.PUT('/v1/tenants/{tenant}/clusters/{cluster}', { params: { path: { tenant, cluster: r.name } }, body: b(body), headers })),
  delete: (api, tenant, r) => outcome(api.DELETE('/v1/tenants/{tenant}/clusters/{cluster}', { params: { path: { tenant, cluster: r.name } } })),
  list: (api, tenant, o) => outcome(api.GET('/v1/tenants/{tenant}/clusters', { params: { path: { tenant }, query: q(o) } })),
};

const template: KindDef = {
  kind: 'Template', aliases: ['tpl'], order: 1,
  get: (api, tenant, r) => outcome(api.GET('/v1/tenants/{tenant}/templates/{template}', { params: { path: { tenant, template: r.name } } })),
  put: (api, tenant, r, body, headers) =>
    outcome(api.PUT('/v1/tenants/{tenant}/templates/{template}', { params: { path: { tenant, template: r.name } }, body: b(body), headers })),
  delete: (api, tenant, r) => outcome(api.DELETE('/v1/tenants/{tenant}/templates/{template}', { params: { path: { tenant, template: r.name } } })),
  list: (api, tenant, o) => outcome(api.GET('/v1/tenants/{tenant}/templates', { params: { path: { tenant }, query: q(o) } })),
};

const versionPath = (tenant: string, r: Ref) => ({ path: { tenant, template: r.template ?? '', version: r.name } });
const templateVersion: KindDef = {
  kind: 'TemplateVersion', aliases: ['version', 'versions', 'tv'], order: 2,
  get: (api, tenant, r) => outcome(api.GET('/v1/tenants/{tenant}/templates/{template}/versions/{version}', { params: versionPath(tenant, r) })),
  put: (api, tenant, r, body, headers) =>
    outcome(api.PUT('/v1/tenants/{tenant}/templates/{template}/versions/{version}', { params: versionPath(tenant, r), body: b(body), headers })),
  list: (api, tenant, o) =>
    outcome(api.GET('/v1/tenants/{tenant}/templates/{template}/versions', { params: { path: { tenant, template: o.template ?? '' }, query: q(o) } })),
};

const namespace: KindDef = {
  kind: 'Namespace', aliases: ['ns'], order: 3,
  get: (api, tenant, r) => outcome(api.GET('/v1/tenants/{tenant}/namespaces/{namespace}', { params: { path: { tenant, namespace: r.name } } })),
  put: (api, tenant, r, body, headers) =>
    outcome(api.PUT('/v1/tenants/{tenant}/namespaces/{namespace}', { params: { path: { tenant, namespace: r.name } }, body: b(body), headers })),
  delete: (api, tenant, r) => outcome(api.DELETE('/v1/tenants/{tenant}/namespaces/{namespace}', { params: { path: { tenant, namespace: r.name } } })),
  list: (api, tenant, o) => outcome(api.GET('/v1/tenants/{tenant}/namespaces', { params: { path: { tenant }, query: q(o) } })),
};

const app: KindDef = {
  kind: 'App', aliases: [], order: 4,
  get: (api, tenant, r) => outcome(api.GET('/v1/tenants/{tenant}/apps/{app}', { params: { path: { tenant, app: r.name } } })),
  put: (api, tenant, r, body, headers) =>
    outcome(api.PUT('/v1/tenants/{tenant}/apps/{app}', { params: { path: { tenant, app: r.name } }, body: b(body), headers })),
  delete: (api, tenant, r) => outcome(api.DELETE('/v1/tenants/{tenant}/apps/{app}', { params: { path: { tenant, app: r.name } } })),
  list: (api, tenant, o) => outcome(api.GET('/v1/tenants/{tenant}/apps', { params: { path: { tenant }, query: q(o) } })),
};

const webhook: KindDef = {
  kind: 'Webhook', aliases: ['hook', 'hooks'], order: 5, writeOnly: ['secret'],
  get: (api, tenant, r) => outcome(api.GET('/v1/tenants/{tenant}/webhooks/{webhook}', { params: { path: { tenant, webhook: r.name } } })),
  put: (api, tenant, r, body, headers) =>
    outcome(api.PUT('/v1/tenants/{tenant}/webhooks/{webhook}', { params: { path: { tenant, webhook: r.name } }, body: b(body), headers })),
  delete: (api, tenant, r) => outcome(api.DELETE('/v1/tenants/{tenant}/webhooks/{webhook}', { params: { path: { tenant, webhook: r.name } } })),
  list: (api, tenant, o) => outcome(api.GET('/v1/tenants/{tenant}/webhooks', { params: { path: { tenant }, query: q(o) } })),
};

export const KINDS: readonly KindDef[] = [cluster, template, templateVersion, namespace, app, webhook];

/** A kind as typed on the command line: any case, singular or plural, or a short alias. */
export function kindNamed(word: string): KindDef | undefined {
  const w = word.toLowerCase();
  return KINDS.find((k) => {
    const base = k.kind.toLowerCase();
    return w === base || w === `${base}s` || k.aliases.includes(w);
  });
}

export const kindByName = (kind: unknown) => KINDS.find((k) => k.kind === kind);

/** `cluster/edge-1`, `templateversion/web@1.2.0` */
export const refLabel = (k: KindDef, r: Ref) => `${k.kind.toLowerCase()}/${r.template ? `${r.template}@${r.name}` : r.name}`;

/** NAME on the command line; a TemplateVersion is TEMPLATE@VERSION. */
export function refFromArg(k: KindDef, arg: string): Ref {
  if (k.kind !== 'TemplateVersion') return { name: arg };
  const at = arg.indexOf('@');
  if (at <= 0) throw new Error(`name a template version as TEMPLATE@VERSION (e.g. web@1.0.0), not "${arg}"`);
  return { template: arg.slice(0, at), name: arg.slice(at + 1) };
}

/** The re-appliable form of a resource: what a file holds, without status or read-only metadata. */
export function toManifest(k: KindDef, r: Resource, ref: Ref) {
  const labels = r.metadata.labels ?? {};
  return {
    apiVersion: API_VERSION,
    kind: k.kind,
    metadata: { name: r.metadata.name, ...(ref.template ? { template: ref.template } : {}), ...(Object.keys(labels).length ? { labels } : {}) },
    spec: r.spec,
  };
}
