import { defaultsOf, type FieldError } from '../../render/index.js';
import { isBudgetError } from '../../rendering/budget-error.js';
import type { Renderer } from '../../rendering/renderer.js';
import { parametersOf, type VersionSpec } from './resolve.js';

/** Who the store-time render is for: no app or cluster exists yet. */
const PLACEHOLDER = { app: 'placeholder', namespace: 'default', cluster: '(placeholder)' };

/**
 * A template that cannot render within the budget even with its schema's
 * defaults would fail every app that uses it, so it is refused when stored.
 * Only budget errors count: a template that needs values with no default, or
 * reads labels a placeholder cluster has not, is still a good template.
 */
export async function budgetErrors(renderer: Renderer, tenant: string, name: string, version: string, spec: VersionSpec): Promise<FieldError[]> {
  const parameters = parametersOf(spec);
  const [rendered] = await renderer.renderApp({
    shared: {
      template: { name, version, catalog: false, parameters, manifests: spec.manifests },
      tenant,
      app: { name: PLACEHOLDER.app, namespace: PLACEHOLDER.namespace, deletionPolicy: 'Delete' },
      values: defaultsOf(parameters),
    },
    targets: [{ cluster: { name: PLACEHOLDER.cluster, labels: {} }, overrides: [] }],
  });
  if (!rendered || rendered.ok) return [];
  return rendered.errors.filter(isBudgetError).map((e) => ({ pointer: '/spec/manifests', message: `with the schema's defaults, ${e.message}` }));
}
