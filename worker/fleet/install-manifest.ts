import { stringify } from 'yaml';
import { CONNECTOR_IMAGE, CONNECTOR_NAME, CONNECTOR_NAMESPACE, LABEL_COMPONENT, LABEL_TENANT } from './labels.js';

const RBAC = 'rbac.authorization.k8s.io';
const GATEWAY_NAME = 'fleetplane-gateway';
const GATEWAY_TOKEN_SECRET = 'fleetplane-gateway-token';
/** The connector reads the gateway's token here (its FLEETPLANE_GATEWAY_TOKEN_FILE default). */
const GATEWAY_TOKEN_DIR = '/var/run/secrets/fleetplane.io/gateway';
/** The groups the gateway sends callers as, by tenant role, and the default ClusterRole each is bound to. */
export const GATEWAY_GROUP_ROLES = [['fleetplane:viewers', 'view'], ['fleetplane:operators', 'edit'], ['fleetplane:admins', 'admin']] as const;

/**
 * The gateway's own identity (API.md "Cluster gateway"): a ServiceAccount that
 * may only impersonate, never the connector's apply identity, and the
 * bindings that give the three groups it sends callers as their ClusterRoles.
 * Impersonating a user cannot be limited to a name prefix in RBAC; the
 * connector sends only `fleetplane:` users, in these groups.
 */
function gatewayIdentity(meta: (name: string, namespaced?: boolean) => object) {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(GATEWAY_NAME) },
    {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: { ...meta(GATEWAY_TOKEN_SECRET), annotations: { 'kubernetes.io/service-account.name': GATEWAY_NAME } },
    },
    {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: meta(GATEWAY_NAME, false),
      rules: [
        { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
        { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: GATEWAY_GROUP_ROLES.map(([g]) => g) },
      ],
    },
    {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: meta(GATEWAY_NAME, false),
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: GATEWAY_NAME },
      subjects: [{ kind: 'ServiceAccount', name: GATEWAY_NAME, namespace: CONNECTOR_NAMESPACE }],
    },
    ...GATEWAY_GROUP_ROLES.map(([group, role]) => ({
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: meta(group.replace(':', '-'), false),
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: RBAC, kind: 'Group', name: group }],
    })),
  ];
}

export interface InstallInput {
  controlPlaneUrl: string;
  joinToken: string;
  tenant: string;
  cluster: string;
  image?: string;
}

/**
 * Everything `kubectl apply -f` needs to run the connector: it dials out to the
 * control plane, so nothing here opens a port to the outside.
 */
export function installManifest(i: InstallInput): string {
  const labels = { 'app.kubernetes.io/name': CONNECTOR_NAME, [LABEL_COMPONENT]: 'connector', [LABEL_TENANT]: i.tenant };
  const meta = (name: string, namespaced = true) => ({
    name,
    ...(namespaced ? { namespace: CONNECTOR_NAMESPACE } : {}),
    labels,
  });
  const docs = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(CONNECTOR_NAMESPACE, false) },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(CONNECTOR_NAME) },
    {
      // The connector applies whatever kinds the tenant's templates hold and prunes
      // what it owns, so like Fleet's and Argo CD's agents it needs every verb on every kind.
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(CONNECTOR_NAME, false),
      rules: [
        { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        { nonResourceURLs: ['/version', '/healthz'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(CONNECTOR_NAME, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CONNECTOR_NAME },
      subjects: [{ kind: 'ServiceAccount', name: CONNECTOR_NAME, namespace: CONNECTOR_NAMESPACE }],
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(CONNECTOR_NAME),
      type: 'Opaque',
      // the connector swaps the join token for its credential and keeps that here
      stringData: { FLEETPLANE_URL: i.controlPlaneUrl, FLEETPLANE_JOIN_TOKEN: i.joinToken, FLEETPLANE_CLUSTER: i.cluster },
    },
    ...gatewayIdentity(meta),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(CONNECTOR_NAME),
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': CONNECTOR_NAME } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: CONNECTOR_NAME,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'connector',
                image: i.image ?? CONNECTOR_IMAGE,
                envFrom: [{ secretRef: { name: CONNECTOR_NAME } }],
                env: [{ name: 'FLEETPLANE_SECRET_NAME', value: CONNECTOR_NAME }, { name: 'FLEETPLANE_NAMESPACE', value: CONNECTOR_NAMESPACE }],
                ports: [{ name: 'health', containerPort: 8080 }],
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, initialDelaySeconds: 10, periodSeconds: 20 },
                readinessProbe: { httpGet: { path: '/readyz', port: 'health' }, periodSeconds: 10 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'gateway-token', mountPath: GATEWAY_TOKEN_DIR, readOnly: true }],
              },
            ],
            volumes: [{ name: 'gateway-token', secret: { secretName: GATEWAY_TOKEN_SECRET, items: [{ key: 'token', path: 'token' }] } }],
          },
        },
      },
    },
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}
