import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { appRevisions, apps, type AppRow } from '../../../db/schema/index.js';
import { invalid, notFound } from '../../lib/problem.js';
import type { Preconditions } from '../../lib/preconditions.js';
import { getResource } from '../../lib/resource-store.js';
import type { Actor } from '../audit.js';
import { putApp, type TenantRef } from './put.js';
import type { Renderer } from '../../rendering/renderer.js';

/**
 * Gives the app the spec of an earlier revision. It is an ordinary change: a
 * new generation and a new revision, rendered and pushed like any PUT.
 */
export async function rollbackApp(db: Db, actor: Actor, tenant: TenantRef, name: string, revision: number, pre: Preconditions, renderer: Renderer, now: Date) {
  const app = await getResource<AppRow>(db, apps, tenant.uid, name);
  if (!app) throw notFound('app', name);
  const [target] = await db
    .select({ spec: appRevisions.spec })
    .from(appRevisions)
    .where(and(eq(appRevisions.appUid, app.uid), eq(appRevisions.revision, revision)));
  if (!target) {
    throw invalid([{ pointer: '/revision', in: 'body', message: `app "${name}" has no revision ${revision} (it has 1 to ${app.revision})` }]);
  }
  return putApp(db, actor, tenant, { name, labels: app.labels, spec: target.spec }, pre, renderer, now);
}
