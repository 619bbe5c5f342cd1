import type { Db } from '../../../db/client.js';
import { invalid } from '../../lib/problem.js';
import { resolveTemplate } from '../templates/resolve.js';
import { tenantClusters } from '../placement/clusters.js';
import { renderErrors, renderTargets, type ClusterRender } from '../placement/render-targets.js';
import { selects } from '../placement/select.js';
import { appOwner, type AppIdentity } from './owner.js';
import type { AppSpec } from './spec.js';
import type { Renderer } from '../../rendering/renderer.js';
import { validateAppValues } from './validate.js';

/**
 * Everything an app spec means for the fleet now: its owner and a render for
 * every cluster it selects. Any problem — an unknown template, values the
 * schema rejects, a cluster whose override breaks the render — is a 400 that
 * lists them all; the caller's transaction then stores nothing.
 */
export async function prepareApp(db: Db, app: AppIdentity, spec: AppSpec, renderer: Renderer): Promise<{ owner: ReturnType<typeof appOwner>; renders: ClusterRender[] }> {
  const t = await resolveTemplate(db, app.tenantId, spec.template);
  if (!t.ok) throw invalid(t.errors.map((e) => ({ ...e, in: 'body' as const })));
  const valueErrors = validateAppValues(spec, t.source);
  if (valueErrors.length > 0) throw invalid(valueErrors.map((e) => ({ ...e, in: 'body' as const })));
  const owner = appOwner(app, spec, t.source, renderer);
  const targets = (await tenantClusters(db, app.tenantId)).filter((c) => selects(spec.placement, c));
  const renders = await renderTargets(owner, targets);
  const errors = renderErrors(renders);
  if (errors.length > 0) throw invalid(errors.map((e) => ({ ...e, in: 'body' as const })));
  return { owner, renders };
}
