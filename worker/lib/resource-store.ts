import { and, asc, eq, getTableName, gt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { tableSelect } from '../../db/table-select.js';
import { jsonEqual } from './json-equal.js';
import type { Requirement } from './label-selector.js';
import { checkWritePreconditions, type Preconditions } from './preconditions.js';

/** A table built with `resourceColumns()`. */
export type ResourceTable = PgTable & {
  uid: PgColumn;
  name: PgColumn;
  labels: PgColumn;
  spec: PgColumn;
  generation: PgColumn;
  resourceVersion: PgColumn;
  updatedAt: PgColumn;
};

export interface StoredResource {
  uid: string;
  name: string;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  generation: number;
  resourceVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface PutInput {
  name: string;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
}

export interface PutResult<R> {
  row: R;
  before: R | undefined;
  created: boolean;
  /** false for a PUT that equals what is stored: nothing was written. */
  changed: boolean;
}

const where = (t: ResourceTable, scope: SQL | undefined, name: string) =>
  scope ? and(scope, eq(t.name, name)) : eq(t.name, name);

/** A table of resources each tenant names: `resourceColumns()` and a tenant. */
export type TenantResourceTable = ResourceTable & { tenantId: PgColumn };

const byName = new Map<TenantResourceTable, ReturnType<typeof tableSelect>>();

/** The tenant's resource of this name, read by a statement built once per table (see tableSelect). */
export async function getResource<R extends StoredResource>(
  db: Db, t: TenantResourceTable, tenantUid: string, name: string,
): Promise<R | undefined> {
  let select = byName.get(t);
  if (!select) {
    select = tableSelect(`fp_get_${getTableName(t)}`, t as PgTable, () => and(eq(t.tenantId, sql.placeholder('tenant')), eq(t.name, sql.placeholder('name')))!, 1);
    byName.set(t, select);
  }
  const rows = await select(db, { tenant: tenantUid, name });
  return rows[0] as unknown as R | undefined;
}

async function lockResource<R>(db: Db, t: ResourceTable, scope: SQL | undefined, name: string) {
  const rows = await db.select().from(t as PgTable).where(where(t, scope, name)).for('update');
  return rows[0] as unknown as R | undefined;
}

export interface PutOptions {
  /**
   * The row as read before the transaction. While it is still the stored one
   * (same resourceVersion), it is replaced in one statement, without reading it
   * again under a row lock: one round trip less while the caller's locks are held.
   */
  seen?: StoredResource;
  /** more columns set when the labels change (a cluster's desired revision, say) */
  onRelabel?: Record<string, unknown>;
}

/**
 * Create or replace under a row lock, inside the caller's transaction.
 * `extra` are the kind's own columns set on insert (e.g. tenantId).
 * Equal spec and labels change nothing; generation grows only with spec.
 */
export async function putResource<R extends StoredResource>(
  tx: Db, t: ResourceTable, scope: SQL | undefined, input: PutInput,
  pre: Preconditions, extra: Record<string, unknown> = {}, o: PutOptions = {},
): Promise<PutResult<R>> {
  const replace = async (before: StoredResource, also?: SQL) => {
    const set = changes(t, before, input, o);
    if (!set) return undefined;
    const [row] = await tx.update(t as PgTable).set(set as never).where(and(eq(t.uid, before.uid), also)).returning();
    return row && { row: row as unknown as R, before: before as R, created: false, changed: true };
  };
  // a row that changed since, or fails the preconditions, or equals the input: decided under the lock below
  if (o.seen && passes(pre, o.seen)) {
    const done = await replace(o.seen, eq(t.resourceVersion, o.seen.resourceVersion));
    if (done) return done;
  }
  for (let attempt = 0; ; attempt++) {
    const before = await lockResource<R>(tx, t, scope, input.name);
    checkWritePreconditions(pre, before);
    if (!before) {
      const inserted = await tx
        .insert(t as PgTable)
        .values({ ...extra, name: input.name, labels: input.labels, spec: input.spec } as never)
        .onConflictDoNothing()
        .returning();
      // Lost a race with a concurrent create: the row is committed now, so lock it and replace.
      if (inserted.length === 0 && attempt === 0) continue;
      return { row: inserted[0] as unknown as R, before: undefined, created: true, changed: true };
    }
    return (await replace(before)) ?? { row: before, before, created: false, changed: false };
  }
}

/** The columns a replace sets, or undefined when spec and labels are as stored. */
function changes(t: ResourceTable, before: StoredResource, input: PutInput, o: PutOptions) {
  const specChanged = !jsonEqual(before.spec, input.spec);
  const relabelled = !jsonEqual(before.labels, input.labels);
  if (!specChanged && !relabelled) return undefined;
  return {
    labels: input.labels,
    spec: input.spec,
    generation: specChanged ? sql`${t.generation} + 1` : t.generation,
    resourceVersion: sql`nextval('resource_version_seq')`,
    updatedAt: sql`now()`,
    ...(relabelled ? o.onRelabel : {}),
  };
}

function passes(pre: Preconditions, row: StoredResource) {
  try {
    checkWritePreconditions(pre, row);
    return true;
  } catch {
    return false;
  }
}

/** Deletes under a row lock; undefined when there was nothing to delete. */
export async function deleteResource<R extends StoredResource>(
  tx: Db, t: ResourceTable, scope: SQL | undefined, name: string, pre: Preconditions,
): Promise<R | undefined> {
  const before = await lockResource<R>(tx, t, scope, name);
  if (!before) return undefined;
  checkWritePreconditions(pre, before);
  await tx.delete(t as PgTable).where(eq(t.uid, before.uid));
  return before;
}

export function selectorSql(column: PgColumn, reqs: Requirement[]): SQL[] {
  return reqs.map((r) => {
    const value = sql`(${column}::jsonb ->> ${r.key})`;
    switch (r.op) {
      case 'exists':
        return sql`jsonb_exists(${column}::jsonb, ${r.key})`;
      case 'notexists':
        return sql`not jsonb_exists(${column}::jsonb, ${r.key})`;
      case 'in':
        return sql`${value} in (${sql.join(r.values.map((v) => sql`${v}`), sql`, `)})`;
      case 'notin':
        return sql`coalesce(${value} not in (${sql.join(r.values.map((v) => sql`${v}`), sql`, `)}), true)`;
    }
  });
}

/** One page ordered by name, starting after `after`; fetches one extra row to know if more follow. */
export async function listResources<R extends StoredResource>(
  db: Db, t: ResourceTable, filters: (SQL | undefined)[], selector: Requirement[],
  after: string | undefined, limit: number,
): Promise<{ rows: R[]; more: boolean }> {
  const conds = [...filters, ...selectorSql(t.labels, selector), after ? gt(t.name, after) : undefined];
  const rows = (await db
    .select()
    .from(t as PgTable)
    .where(and(...conds))
    .orderBy(asc(t.name))
    .limit(limit + 1)) as R[];
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}
