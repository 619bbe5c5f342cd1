import { overridesFor, type TemplateSource } from '../../render/index.js';
import type { Renderer } from '../../rendering/renderer.js';
import type { Owner } from '../placement/owner.js';
import type { ClusterRef } from '../placement/select.js';
import { deletionPolicyOf, type AppSpec } from './spec.js';

export interface AppIdentity {
  uid: string;
  name: string;
  tenantId: string;
  tenantName: string;
  revision: number;
}

/** Whether json-e can see the cluster at all: if the template never names it, every cluster renders alike. */
function readsCluster(t: TemplateSource) {
  return JSON.stringify(t.manifests).includes('cluster');
}

/** An app as an owner of placements: its template version rendered per cluster with the matching overrides. */
export function appOwner(app: AppIdentity, spec: AppSpec, template: TemplateSource, renderer: Renderer): Owner {
  const overrides = spec.overrides ?? [];
  const perCluster = readsCluster(template);
  const deletionPolicy = deletionPolicyOf(spec);
  return {
    kind: 'App',
    uid: app.uid,
    name: app.name,
    tenantId: app.tenantId,
    revision: app.revision,
    deletionPolicy,
    progressive: spec.rollout?.strategy === 'Progressive',
    placement: spec.placement,
    renderKey: (c: ClusterRef) => {
      const matched = overridesFor(overrides, c).map((m) => m.index);
      return JSON.stringify([matched, perCluster ? [c.name, c.labels] : null]);
    },
    render: (cs: ClusterRef[]) =>
      renderer.renderApp({
        shared: { template, tenant: app.tenantName, app: { name: app.name, namespace: spec.namespace, deletionPolicy }, values: spec.values ?? {} },
        targets: cs.map((c) => ({ cluster: { name: c.name, labels: c.labels }, overrides: overridesFor(overrides, c) })),
      }),
  };
}
