import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { webhooks, type WebhookRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { deleteResource } from '../../lib/resource-store.js';
import { recordAudit, type Actor } from '../audit.js';

/** Deletes a webhook; its deliveries still waiting and its attempt log go with it. */
export async function deleteWebhook(db: Db, actor: Actor, tenantId: string, name: string, pre: Preconditions) {
  return db.transaction(async (tx) => {
    const before = await deleteResource<WebhookRow>(tx, webhooks, eq(webhooks.tenantId, tenantId), name, pre);
    if (before) await recordAudit(tx, actor, { tenantId, action: 'delete', kind: 'webhook', name, before });
    return before;
  });
}
