import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import type { Answer } from '../support/harness.js';
import type { Receiver } from '../support/webhook-receiver.js';

type Call = (method: string, path: string, o?: { token?: string; body?: unknown }) => Promise<Answer>;

/** Creates a webhook and hands its generated secret to the receiver, which verifies every delivery with it. */
export async function createWebhook(call: Call, token: string, tenant: string, name: string, spec: Record<string, unknown>, receiver?: Receiver) {
  const r = await call('PUT', `/v1/tenants/${tenant}/webhooks/${name}`, { token, body: { spec } });
  if (r.status !== 201) throw new Error(`webhook ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  receiver?.setSecret(r.body.spec.secret);
  return r.body;
}

/** The attempts a webhook shows, newest first. */
export async function deliveriesOf(call: Call, token: string, tenant: string, name: string) {
  const r = await call('GET', `/v1/tenants/${tenant}/webhooks/${name}`, { token });
  return r.body.status.deliveries as { id: string; type: string; attempt: number; statusCode: number | null; error?: string; at: string }[];
}

/** Deliveries still waiting in the outbox. */
export async function outboxSize(db: Db) {
  return rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from webhook_deliveries`))[0]!.n;
}
