import type { Principal } from '../auth/principal.js';
import type { Role } from '../auth/roles.js';

/** The group each tenant role is sent as; the install manifest binds them to view, edit and admin. */
export const ROLE_GROUPS: Record<Role, string> = {
  viewer: 'fleetplane:viewers',
  operator: 'fleetplane:operators',
  admin: 'fleetplane:admins',
  owner: 'fleetplane:admins',
};

/** Who the caller is in the tenant's clusters: `fleetplane:<tenant>:<subject>`, in the group of its role. */
export function clusterIdentity(tenant: string, p: Principal, role: Role): { user: string; groups: string[] } {
  const subject = p.kind === 'user' ? p.subject : p.kind === 'token' ? `token:${p.tokenName}` : p.kind;
  return { user: `fleetplane:${tenant}:${subject}`, groups: [ROLE_GROUPS[role]] };
}

/** `/v1/tenants/{t}/clusters/{c}/proxy...`: the API server's paths, whose bodies are the cluster's to judge. */
export const isGatewayPath = (path: string) => /^\/v1\/tenants\/[^/]+\/clusters\/[^/]+\/proxy(\/|$)/.test(path);
