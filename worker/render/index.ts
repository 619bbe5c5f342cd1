/** The pure rendering engine: from a template, an app and a cluster to Kubernetes objects. No I/O. */
export type * from './types.js';
export { parseManifests, MAX_MANIFEST_BYTES, MAX_MANIFEST_OBJECTS, type ParsedManifests } from './parse-manifests.js';
export { checkParameterSchema } from './parameter-schema.js';
export { defaultsOf } from './defaults.js';
export { deepMerge } from './deep-merge.js';
export { validateValues } from './validate-values.js';
export { matchesSelector, overridesFor } from './selector.js';
export { renderApp } from './render-app.js';
export { renderNamespace, type NamespaceInput } from './render-namespace.js';
export { canonicalJson, contentHash } from './canonical-json.js';
export { isClusterScoped } from './cluster-scoped.js';
export { uniqueErrors } from './unique-errors.js';
export { ANNOTATION_DELETION_POLICY } from './keys.js';
export { budgetError, RENDER_BUDGET, MAX_RENDER_OBJECTS, MAX_RENDER_BYTES, MAX_JSONE_ELEMENTS, RENDER_TIME_LIMIT_MS } from './budget.js';
