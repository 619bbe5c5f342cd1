import type { TenantRow } from '../../db/schema/index.js';
import type { Role } from './roles.js';

/** Who is calling. The three token kinds of API.md never stand in for one another. */
export type Principal =
  | { kind: 'admin'; id: 'admin' }
  | { kind: 'token'; id: string; tenantId: string; tokenName: string; role: Role; tenant: TenantRow }
  | { kind: 'user'; id: string; subject: string }
  | { kind: 'connector'; id: string; clusterUid: string; tenantId: string; generation: number; expiresAt: Date };

export const actorOf = (p: Principal) => ({ kind: p.kind, id: p.id });
