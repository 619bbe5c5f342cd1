import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { appRevisions, apps, type AppRow } from '../../../db/schema/index.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { putResource, type PutInput } from '../../lib/resource-store.js';
import { putAudit, recordAudit, type Actor } from '../audit.js';
import { placeOwner, type Pushes } from '../placement/sync.js';
import { prepareApp } from './place.js';
import type { AppSpec } from './spec.js';
import type { Renderer } from '../../rendering/renderer.js';
import { RenderMemo } from '../../rendering/render-memo.js';
import { jsonEqual } from '../../lib/json-equal.js';
import { getResource } from '../../lib/resource-store.js';
import { lockPlacements } from '../placement/lock.js';
import { settleApps } from './settle.js';

export interface TenantRef {
  uid: string;
  name: string;
}

/**
 * Creates or replaces an app. A new spec becomes the app's next revision and is
 * rendered for every placed cluster in the same transaction; only clusters
 * whose content changed get a new desired revision (with a progressive
 * rollout, only those of its first wave). A label-only change renders nothing.
 */
export async function putApp(db: Db, actor: Actor, tenant: TenantRef, input: PutInput, pre: Preconditions, renderer: Renderer, now: Date) {
  const memo = new RenderMemo(renderer);
  await renderAhead(db, tenant, input, memo);
  return db.transaction(async (tx) => {
    await lockPlacements(tx, tenant.uid);
    const r = await putResource<AppRow>(tx, apps, eq(apps.tenantId, tenant.uid), input, pre, { tenantId: tenant.uid });
    if (!r.changed) return { ...r, pushes: [] as Pushes };
    await recordAudit(tx, actor, putAudit(tenant.uid, 'app', r));
    if (r.before && r.before.generation === r.row.generation) return { ...r, pushes: [] as Pushes };
    const row = await recordRevision(tx, r.row);
    const spec = row.spec as unknown as AppSpec;
    const { owner, renders } = await prepareApp(tx, { ...row, tenantName: tenant.name }, spec, memo);
    const pushes = await placeOwner(tx, owner, renders);
    pushes.push(...(await settleApps(tx, [row.uid], now)));
    return { ...r, row, pushes };
  });
}

/**
 * Renders a changed spec before the transaction (see RenderMemo); its errors
 * are left for the transaction to report, after the preconditions, as before.
 */
async function renderAhead(db: Db, tenant: TenantRef, input: PutInput, memo: RenderMemo) {
  const current = await getResource<AppRow>(db, apps, tenant.uid, input.name);
  if (current && jsonEqual(current.spec, input.spec)) return;
  const identity = { uid: current?.uid ?? '', name: input.name, tenantId: tenant.uid, tenantName: tenant.name, revision: 0 };
  await prepareApp(db, identity, input.spec as unknown as AppSpec, memo).catch(() => undefined);
}

/** Appends the app's current spec to its revisions (1, 2, 3…). */
export async function recordRevision(tx: Db, row: AppRow): Promise<AppRow> {
  const [updated] = await tx.update(apps).set({ revision: sql`${apps.revision} + 1` }).where(eq(apps.uid, row.uid)).returning();
  await tx.insert(appRevisions).values({ appUid: row.uid, revision: updated!.revision, generation: row.generation, spec: row.spec });
  return updated!;
}
