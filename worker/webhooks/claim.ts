import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { arrayParam } from '../../db/array-param.js';
import { rowsOf } from '../../db/rows.js';
import { LEASE_MS, PER_TENANT } from './schedule.js';

/** A delivery its sender now holds, with what sending it takes. */
export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  webhookUid: string;
  type: string;
  body: string;
  /** this attempt's number, from 1 */
  attempt: number;
  url: string;
  secret: string;
  leasedUntil: Date;
}

export interface ClaimOptions {
  /** only these tenants' deliveries (e.g. those a request just enqueued) */
  tenants?: string[];
  /** not these tenants' (those whose sends this process already has in flight to the full) */
  skipTenants?: string[];
  perTenant?: number;
  limit?: number;
}

interface Row {
  id: string;
  tenant_id: string;
  webhook_uid: string;
  type: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Takes due deliveries for one sender, in one short statement: rows nobody
 * holds (or whose holder's lease ran out), at most `perTenant` per tenant,
 * the oldest first; rows another sender is claiming right now are skipped,
 * not waited for. Each claimed row is leased for LEASE_MS, so two replicas
 * never send the same delivery at once.
 */
export async function claimDue(db: Db, now: Date, o: ClaimOptions = {}): Promise<ClaimedDelivery[]> {
  const at = now.toISOString();
  const leasedUntil = new Date(now.getTime() + LEASE_MS);
  const only = o.tenants ? sql`and d.tenant_id = any(${arrayParam(o.tenants, 'uuid')})` : sql``;
  const skip = o.skipTenants?.length ? sql`and d.tenant_id <> all(${arrayParam(o.skipTenants, 'uuid')})` : sql``;
  const claimable = sql`d.due_at <= ${at}::timestamptz and (d.leased_until is null or d.leased_until <= ${at}::timestamptz)`;
  const rows = rowsOf<Row>(await db.execute(sql`
    with ranked as (
      select d.id, row_number() over (partition by d.tenant_id order by d.due_at, d.id) as rank
      from webhook_deliveries d
      where ${claimable} ${only} ${skip}
    ),
    picked as (
      select d.id from webhook_deliveries d join ranked r on r.id = d.id
      -- checked again here: a row another sender leased and committed after this statement's snapshot
      -- is re-read when locked, and only this scan's conditions are re-checked on it
      where r.rank <= ${o.perTenant ?? PER_TENANT} and ${claimable}
      order by r.rank, d.due_at
      limit ${o.limit ?? 500}
      for update of d skip locked
    )
    update webhook_deliveries d set leased_until = ${leasedUntil.toISOString()}::timestamptz
    from picked, webhooks w
    where d.id = picked.id and w.uid = d.webhook_uid
    returning d.id, d.tenant_id, d.webhook_uid, d.type, d.body, d.attempts, w.spec->>'url' as url, w.spec->>'secret' as secret`));
  return rows.map((r) => ({
    id: r.id, tenantId: r.tenant_id, webhookUid: r.webhook_uid, type: r.type, body: r.body,
    attempt: Number(r.attempts) + 1, url: r.url, secret: r.secret, leasedUntil,
  }));
}

/** When the next delivery becomes claimable (due, and not held), or undefined when none waits; `skipTenants` as in claimDue. */
export async function nextDueAt(db: Db, skipTenants: string[] = []): Promise<Date | undefined> {
  const skip = skipTenants.length ? sql`where tenant_id <> all(${arrayParam(skipTenants, 'uuid')})` : sql``;
  const [row] = rowsOf<{ next: string | Date | null }>(await db.execute(sql`
    select min(greatest(due_at, coalesce(leased_until, due_at))) as next from webhook_deliveries ${skip}`));
  return row?.next ? new Date(row.next) : undefined;
}
