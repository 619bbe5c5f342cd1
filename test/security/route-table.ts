import type { Role } from '../../worker/auth/roles.js';

/**
 * Every authenticated route with the least role that may call it and a valid
 * body. The security suite fails for a route missing here, so a new route
 * cannot ship without its auth checks.
 */
export interface RouteCase {
  role: Role;
  body?: unknown;
  /** a body that fails validation in more than one place */
  invalid?: unknown;
  /** what the required role gets when it is not a 2xx (e.g. resume with nothing paused) */
  ok?: number;
}

/** The parts of an app the fixture deploys; the route bodies reuse them. */
export const VERSION_SPEC = {
  parameters: { type: 'object', properties: { replicas: { type: 'integer', default: 1 } } },
  manifests: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app.name}\ndata:\n  replicas: "${values.replicas}"\n',
};
export const APP_SPEC = {
  template: { name: 'base', version: '1.0.0' }, namespace: 'default', values: { replicas: 2 },
  placement: { clusters: ['cluster-1'] },
};

export const ROUTE_TABLE: Record<string, RouteCase> = {
  'GET /v1/tenants': { role: 'viewer' },
  'GET /v1/tenants/{tenant}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}': {
    role: 'owner',
    body: { spec: { displayName: 'Renamed' } },
    invalid: { spec: { displayName: 7 }, extra: 1 },
  },
  'DELETE /v1/tenants/{tenant}': { role: 'owner' },
  'GET /v1/tenants/{tenant}/members': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/members/{subject}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/members/{subject}': {
    role: 'owner',
    body: { spec: { role: 'operator' } },
    invalid: { spec: { role: 'emperor' }, status: {} },
  },
  'DELETE /v1/tenants/{tenant}/members/{subject}': { role: 'owner' },
  'POST /v1/tenants/{tenant}/tokens': {
    role: 'owner',
    body: { spec: { role: 'viewer', description: 'sec' } },
    invalid: { spec: { role: 'viewer' }, metadata: { uid: 'x' } },
  },
  'GET /v1/tenants/{tenant}/tokens': { role: 'owner' },
  'GET /v1/tenants/{tenant}/tokens/{id}': { role: 'owner' },
  'DELETE /v1/tenants/{tenant}/tokens/{id}': { role: 'owner' },
  'GET /v1/tenants/{tenant}/audit-events': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/events': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/apps/{app}/clusters': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/clusters': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/clusters/{cluster}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/clusters/{cluster}': {
    role: 'admin',
    body: { metadata: { labels: { env: 'prod' } }, spec: { description: 'edge' } },
    invalid: { spec: { description: 5, region: 'eu' } },
  },
  'DELETE /v1/tenants/{tenant}/clusters/{cluster}': { role: 'admin' },
  'POST /v1/tenants/{tenant}/clusters/{cluster}/join-tokens': {
    role: 'admin',
    body: { expiresInSeconds: 600 },
    invalid: { expiresInSeconds: 5, extra: true },
  },
  'POST /v1/tenants/{tenant}/clusters/{cluster}/revoke': { role: 'admin' },
  'GET /v1/tenants/{tenant}/clusters/{cluster}/kubeconfig': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/apps/{app}/logs': { role: 'viewer' },
  'GET /v1/catalog/templates': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/templates': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/templates/{template}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/templates/{template}': {
    role: 'operator',
    body: { spec: { description: 'renamed', category: 'web' } },
    invalid: { spec: { description: 1, kind: 'x' } },
  },
  'DELETE /v1/tenants/{tenant}/templates/{template}': { role: 'operator' },
  'GET /v1/tenants/{tenant}/templates/{template}/versions': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/templates/{template}/versions/{version}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/templates/{template}/versions/{version}': {
    role: 'operator',
    body: { spec: VERSION_SPEC },
    invalid: { spec: { manifests: 5, parameters: 'x' } },
  },
  'GET /v1/tenants/{tenant}/namespaces': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/namespaces/{namespace}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/namespaces/{namespace}': {
    role: 'operator',
    body: { spec: { placement: { clusters: ['cluster-1'] }, quota: { cpu: '2', memory: '4Gi', pods: 20 } } },
    invalid: { spec: { placement: { clusters: ['Not_A_Name'] }, quota: { cpu: 'lots' } } },
  },
  'DELETE /v1/tenants/{tenant}/namespaces/{namespace}': { role: 'operator' },
  'GET /v1/tenants/{tenant}/apps': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/apps/{app}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/apps/{app}': {
    role: 'operator',
    body: { spec: { ...APP_SPEC, values: { replicas: 3 } } },
    invalid: { spec: { ...APP_SPEC, namespace: 'Bad Name', deletionPolicy: 'Sometimes' } },
  },
  'DELETE /v1/tenants/{tenant}/apps/{app}': { role: 'operator' },
  'POST /v1/tenants/{tenant}/apps/{app}/plan': {
    role: 'viewer',
    body: { spec: { ...APP_SPEC, values: { replicas: 4 } } },
    invalid: { spec: { ...APP_SPEC, placement: { clusters: 'all' } }, extra: 1 },
  },
  'GET /v1/tenants/{tenant}/apps/{app}/revisions': { role: 'viewer' },
  'POST /v1/tenants/{tenant}/apps/{app}/rollback': {
    role: 'operator',
    body: { revision: 1 },
    invalid: { revision: 0, extra: true },
  },
  'POST /v1/tenants/{tenant}/apps/{app}/resume': { role: 'operator', ok: 409 },
  'GET /v1/tenants/{tenant}/webhooks': { role: 'viewer' },
  'GET /v1/tenants/{tenant}/webhooks/{webhook}': { role: 'viewer' },
  'PUT /v1/tenants/{tenant}/webhooks/{webhook}': {
    role: 'admin',
    body: { spec: { url: 'https://hooks.example.com/fleetplane', events: ['ClusterPhaseChanged'] } },
    invalid: { spec: { url: 'ftp://hooks.example.com/', secret: 'whsec_tooshort' } },
  },
  'DELETE /v1/tenants/{tenant}/webhooks/{webhook}': { role: 'admin' },
};

export const BELOW: Record<Role, Role | undefined> = {
  owner: 'admin',
  admin: 'operator',
  operator: 'viewer',
  viewer: undefined,
};
