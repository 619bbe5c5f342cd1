/**
 * The kinds the test API server serves. One line per kind: adding a kind to the
 * server (discovery, CRUD, watch, apply) is adding a line here.
 */
export interface KindInfo {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Has a /status subresource: writes to the main resource keep status as it was. */
  status: boolean;
  /** Has a /scale subresource (autoscaling/v1 Scale over spec.replicas). */
  scale?: boolean;
}

const k = (
  group: string, version: string, kind: string, plural: string, namespaced: boolean,
  status: boolean, shortNames?: string[],
): KindInfo => ({
  group, version, kind, plural, singular: kind.toLowerCase(), namespaced, status,
  ...(shortNames ? { shortNames } : {}),
});

export const KINDS: readonly KindInfo[] = [
  k('', 'v1', 'Namespace', 'namespaces', false, true, ['ns']),
  k('', 'v1', 'Node', 'nodes', false, true, ['no']),
  k('', 'v1', 'ConfigMap', 'configmaps', true, false, ['cm']),
  k('', 'v1', 'Secret', 'secrets', true, false),
  k('', 'v1', 'Service', 'services', true, true, ['svc']),
  k('', 'v1', 'ServiceAccount', 'serviceaccounts', true, false, ['sa']),
  k('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, true, ['pvc']),
  k('', 'v1', 'Pod', 'pods', true, true, ['po']),
  { ...k('apps', 'v1', 'Deployment', 'deployments', true, true, ['deploy']), scale: true },
  { ...k('apps', 'v1', 'StatefulSet', 'statefulsets', true, true, ['sts']), scale: true },
  k('apps', 'v1', 'DaemonSet', 'daemonsets', true, true, ['ds']),
  k('batch', 'v1', 'Job', 'jobs', true, true),
  k('batch', 'v1', 'CronJob', 'cronjobs', true, true, ['cj']),
  k('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, true, ['ing']),
  k('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, false),
  k('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, false),
  k('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false, false),
  k('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false, false),
  k('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, true, ['pdb']),
  // a custom resource: the cluster runs the Argo Rollouts controller
  { ...k('argoproj.io', 'v1alpha1', 'Rollout', 'rollouts', true, true, ['ro']), scale: true },
];

export const apiVersionOf = (info: KindInfo) => (info.group ? `${info.group}/${info.version}` : info.version);

const byApiVersionKind = new Map(KINDS.map((i) => [`${apiVersionOf(i)}|${i.kind}`, i]));
const byResource = new Map(KINDS.map((i) => [`${i.group}|${i.version}|${i.plural}`, i]));

export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  return byApiVersionKind.get(`${apiVersion}|${kind}`);
}

/** Finds a kind by its URL coordinates (plural name as in the path). */
export function kindForResource(group: string, version: string, plural: string): KindInfo | undefined {
  return byResource.get(`${group}|${version}|${plural}`);
}

/** Finds a kind by its Kind name alone, for helpers that only know "Deployment". */
export function kindByName(kind: string): KindInfo | undefined {
  return KINDS.find((i) => i.kind === kind || i.kind.toLowerCase() === kind.toLowerCase() || i.plural === kind);
}

/** The group/version pairs served, in the order discovery lists them. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const i of KINDS) seen.set(`${i.group}/${i.version}`, { group: i.group, version: i.version });
  return [...seen.values()];
}
