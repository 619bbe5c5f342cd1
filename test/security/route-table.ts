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
}

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
};

export const BELOW: Record<Role, Role | undefined> = {
  owner: 'admin',
  admin: 'operator',
  operator: 'viewer',
  viewer: undefined,
};
