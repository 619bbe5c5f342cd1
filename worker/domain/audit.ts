import { auditEvents } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { actorOf, type Principal } from '../auth/principal.js';

/** Who acted, in which request: what every domain verb needs to leave its audit trail. */
export interface Actor {
  principal: Principal;
  requestId: string;
}

export interface AuditEntry {
  tenantId: string;
  action: 'create' | 'update' | 'delete' | 'revoke' | 'resume' | 'proxy';
  kind: string;
  name: string;
  before?: { generation: number } | undefined;
  after?: { generation: number } | undefined;
  /** a request carried by the cluster gateway */
  request?: { verb: string; path: string; status: number };
}

/** Records a change; call inside the transaction that makes it. */
export async function recordAudit(tx: Db, actor: Actor, e: AuditEntry) {
  await tx.insert(auditEvents).values({
    tenantId: e.tenantId,
    actor: actorOf(actor.principal),
    action: `${e.kind}.${e.action}`,
    objectKind: e.kind,
    objectName: e.name,
    beforeGeneration: e.before?.generation ?? null,
    afterGeneration: e.after?.generation ?? null,
    requestId: actor.requestId,
    request: e.request ?? null,
  });
}

/** The audit entry for a PUT that changed something. */
export const putAudit = (
  tenantId: string, kind: string, r: { row: { name: string; generation: number }; before?: { generation: number } | undefined; created: boolean },
): AuditEntry => ({
  tenantId, kind, name: r.row.name, action: r.created ? 'create' : 'update', before: r.before, after: r.row,
});
