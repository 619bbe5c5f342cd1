import { desc, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { webhookAttempts, type WebhookAttemptRow, type WebhookRow } from '../../../db/schema/index.js';
import { toResource } from '../../lib/respond.js';
import { KEPT_ATTEMPTS } from '../../webhooks/record.js';
import { specShown, type WebhookSpec } from './spec.js';

export interface DeliveryAttempt {
  id: string;
  type: string;
  attempt: number;
  statusCode: number | null;
  error?: string;
  at: string;
}

const attemptView = (a: WebhookAttemptRow): DeliveryAttempt => ({
  id: a.deliveryId,
  type: a.type,
  attempt: a.attempt,
  statusCode: a.statusCode,
  ...(a.error !== null ? { error: a.error } : {}),
  at: a.at.toISOString(),
});

/** The newest attempts of these webhooks, newest first, in one query. */
export async function attemptsOf(db: Db, uids: string[]): Promise<Map<string, DeliveryAttempt[]>> {
  const out = new Map<string, DeliveryAttempt[]>(uids.map((u) => [u, []]));
  if (uids.length === 0) return out;
  const rows = await db.select().from(webhookAttempts).where(inArray(webhookAttempts.webhookUid, uids)).orderBy(desc(webhookAttempts.id));
  for (const r of rows) {
    const list = out.get(r.webhookUid)!;
    if (list.length < KEPT_ATTEMPTS) list.push(attemptView(r));
  }
  return out;
}

export const renderWebhook = (row: WebhookRow, deliveries: DeliveryAttempt[], secretShown = false) => {
  const r = toResource<WebhookSpec, { deliveries: DeliveryAttempt[] }>(row, { deliveries });
  return { ...r, spec: specShown(r.spec, secretShown) };
};

/** One webhook with its recent deliveries, for single-resource answers. */
export async function viewWebhook(db: Db, row: WebhookRow, secretShown = false) {
  return renderWebhook(row, (await attemptsOf(db, [row.uid])).get(row.uid)!, secretShown);
}
