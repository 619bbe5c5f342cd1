/**
 * Built-in kinds that live outside any namespace: the renderer must not give
 * them the app's namespace. Matched on kind alone since no built-in group reuses
 * these kind names. Cluster-scoped kinds of CRDs are not known here; templates
 * that ship one must leave metadata.namespace out and the connector's discovery
 * decides.
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}
