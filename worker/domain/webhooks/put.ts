import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { webhooks, type WebhookRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import { generateSecret } from '../../webhooks/secret.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';
import type { WebhookSpec } from './spec.js';

/**
 * Creates or replaces a webhook. A spec without `secret` keeps the current
 * one, or on create gets a generated one, which this answer alone shows; a
 * new secret is a spec change (a new generation) like any other.
 */
export async function putWebhook(db: Db, actor: Actor, tenantId: string, input: PutInput, pre: Preconditions) {
  const written = input.spec as unknown as WebhookSpec;
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(webhooks)
      .where(and(eq(webhooks.tenantId, tenantId), eq(webhooks.name, input.name))).for('update');
    const generated = written.secret === undefined && !current ? generateSecret() : undefined;
    const secret = written.secret ?? generated ?? (current?.spec as WebhookSpec | undefined)?.secret;
    const spec = written.secret === undefined ? { ...written, secret } : written;
    const r = await putResource<WebhookRow>(tx, webhooks, eq(webhooks.tenantId, tenantId), { ...input, spec: { ...spec } }, pre, { tenantId });
    if (r.changed) await recordAudit(tx, actor, putAudit(tenantId, 'webhook', r));
    // the secret goes back to the caller who wrote it or for whom it was made, and to no one else
    return { ...r, secretShown: written.secret !== undefined || (generated !== undefined && r.created) };
  });
}
