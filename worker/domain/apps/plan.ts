import { createTwoFilesPatch } from 'diff';
import { and, eq, sql } from 'drizzle-orm';
import { stringify } from 'yaml';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../../db/rows.js';
import { apps, type AppRow } from '../../../db/schema/index.js';
import type { TenantRef } from './put.js';
import { prepareApp } from './place.js';
import type { AppSpec } from './spec.js';
import type { Renderer } from '../../rendering/renderer.js';

export type PlanAction = 'create' | 'update' | 'delete' | 'none';

export interface ClusterPlan {
  name: string;
  action: PlanAction;
  objects: Record<string, unknown>[];
  diff: string;
}

interface Current {
  name: string;
  hash: string | null;
  objects: Record<string, unknown>[] | null;
}

const yamlOf = (objects: Record<string, unknown>[]) => objects.map((o) => stringify(o)).join('---\n');

/** A unified diff from what a cluster is meant to hold now to what the spec would give it. */
function diffOf(cluster: string, before: Record<string, unknown>[], after: Record<string, unknown>[]) {
  if (before === after) return '';
  return createTwoFilesPatch(`${cluster} (desired now)`, `${cluster} (planned)`, yamlOf(before), yamlOf(after), undefined, undefined, { context: 3 });
}

/**
 * What PUTting `spec` would do on each cluster, without writing anything: the
 * same validation and rendering as the PUT, compared with the stored content.
 */
export async function planAppChange(db: Db, tenant: TenantRef, name: string, spec: AppSpec, renderer: Renderer): Promise<{ clusters: ClusterPlan[] }> {
  const [row] = await db.select().from(apps).where(and(eq(apps.tenantId, tenant.uid), eq(apps.name, name))) as AppRow[];
  const identity = { uid: row?.uid ?? crypto.randomUUID(), name, tenantId: tenant.uid, tenantName: tenant.name, revision: (row?.revision ?? 0) + 1 };
  const { renders } = await prepareApp(db, identity, spec, renderer);
  const current = new Map(
    row
      ? rowsOf<Current>(await db.execute(sql`
          select c.name, p.content_hash as hash, rc.objects
          from placements p join clusters c on c.uid = p.cluster_uid
          left join rendered_contents rc on rc.hash = p.content_hash
          where p.owner_uid = ${row.uid}`)).map((r) => [r.name, r])
      : [],
  );
  const plans: ClusterPlan[] = [];
  for (const r of renders) {
    if (!r.ok) continue; // prepareApp has already refused a spec with render errors
    const now = current.get(r.cluster.name);
    current.delete(r.cluster.name);
    const before = now?.objects ?? [];
    const action: PlanAction = !now?.hash ? 'create' : now.hash === r.hash ? 'none' : 'update';
    plans.push({ name: r.cluster.name, action, objects: r.objects, diff: action === 'none' ? '' : diffOf(r.cluster.name, before, r.objects) });
  }
  for (const gone of current.values()) {
    plans.push({ name: gone.name, action: 'delete', objects: [], diff: diffOf(gone.name, gone.objects ?? [], []) });
  }
  return { clusters: plans.sort((a, b) => a.name.localeCompare(b.name)) };
}
