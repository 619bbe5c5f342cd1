import type { KubeObject } from './kube/types.js';

/**
 * Apply order, after Helm's install order and Flux's staged apply: definitions
 * (Namespaces, CRDs) in a first stage so the rest can use them, then every
 * other cluster-scoped object, then namespaced ones — each kind after what it
 * usually refers to (a Deployment after its ConfigMap, Secret and ServiceAccount).
 */
const RANK = [
  'Namespace', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'PersistentVolume', 'IngressClass',
  'ClusterRole', 'ClusterRoleBinding',
  'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'Secret', 'ConfigMap',
  'PersistentVolumeClaim', 'Service', 'Pod', 'ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService',
];
const rankOf = (kind: string) => {
  const i = RANK.indexOf(kind);
  return i < 0 ? RANK.indexOf('Ingress') : i; // unknown kinds (custom resources) go with the last workloads
};

export const isDefinition = (o: KubeObject) =>
  (o.kind === 'Namespace' && o.apiVersion === 'v1') || (o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/'));

/**
 * Gives each object its scope from discovery: a cluster-scoped object loses
 * any namespace it was given, a namespaced one without a namespace gets
 * `defaultNamespace`. Objects whose kind the server does not serve (yet) are
 * returned apart. Pure: `namespaced` answers from discovery.
 */
export function scoped(objects: KubeObject[], namespaced: (o: KubeObject) => boolean | undefined, defaultNamespace = 'default') {
  const ready: KubeObject[] = [];
  const unknown: KubeObject[] = [];
  for (const o of objects) {
    const s = scopeObject(o, namespaced(o), defaultNamespace);
    if (s) ready.push(s);
    else unknown.push(o);
  }
  return { ready, unknown };
}

/** One object with its scope applied; undefined when discovery does not know its kind. */
export function scopeObject(o: KubeObject, namespaced: boolean | undefined, defaultNamespace = 'default'): KubeObject | undefined {
  if (namespaced === undefined) return undefined;
  const { namespace, ...meta } = o.metadata;
  return { ...o, metadata: namespaced ? { ...meta, namespace: namespace || defaultNamespace } : meta };
}

const LAST = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService']);

/**
 * The stages of an apply after the definitions, as Flux stages it: every
 * other cluster-scoped object, then every namespaced object, then webhooks
 * and API services (they would intercept or serve requests before what backs
 * them exists). Within a stage objects go out together, in applyOrder, so a
 * change costs one round trip per stage rather than one per kind. Pure.
 */
export function applyStages(objects: KubeObject[]): KubeObject[][] {
  const sorted = applyOrder(objects);
  const stages = [
    sorted.filter((o) => !o.metadata.namespace && !LAST.has(o.kind)),
    sorted.filter((o) => !!o.metadata.namespace && !LAST.has(o.kind)),
    sorted.filter((o) => LAST.has(o.kind)),
  ];
  return stages.filter((s) => s.length > 0);
}

/** Sorts for applying: cluster-scoped before namespaced, then by kind rank, then namespace and name. Pure. */
export function applyOrder(objects: KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) =>
    Number(!!a.metadata.namespace) - Number(!!b.metadata.namespace) ||
    rankOf(a.kind) - rankOf(b.kind) ||
    a.kind.localeCompare(b.kind) ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name));
}

/** The namespaces that namespaced objects go to and that no desired Namespace object creates. */
export function targetNamespaces(objects: KubeObject[]): string[] {
  const declared = new Set(objects.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => o.metadata.name));
  const wanted = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n && !declared.has(n)));
  return [...wanted].sort();
}
