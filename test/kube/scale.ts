import { badRequest, conflict, unsupportedMediaType } from './errors.js';
import type { KindInfo } from './kinds.js';
import { jsonPatch, mergePatch } from './merge.js';
import { labelSelectorToString } from './selectors.js';
import { PATCH_TYPES, type KubeStore } from './store.js';

/**
 * The /scale subresource (what `kubectl scale` and autoscalers use): an
 * autoscaling/v1 Scale view of spec.replicas. Writing it changes the object's
 * spec, so it bumps generation like any spec change.
 */
export function toScale(obj: any) {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector: labelSelectorToString(obj.spec?.selector) },
  };
}

/** PUT or PATCH of a Scale: the new replica count, written to the object by `manager`. */
export function writeScale(store: KubeStore, info: KindInfo, prev: any, method: 'PUT' | 'PATCH', contentType: string, body: any, manager: string): any {
  const current = toScale(prev);
  let next: any;
  if (method === 'PUT') next = body;
  else if (contentType === PATCH_TYPES.merge || contentType === PATCH_TYPES.strategic) next = mergePatch(current, body);
  else if (contentType === PATCH_TYPES.json) next = jsonPatch(current, body);
  else throw unsupportedMediaType(contentType);
  const rv = next?.metadata?.resourceVersion;
  if (rv && rv !== prev.metadata.resourceVersion) {
    throw conflict(info, prev.metadata.name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  const replicas = next?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) throw badRequest(`spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be a non-negative integer`);
  const updated = store.update(info, prev, { ...prev, spec: { ...prev.spec, replicas } }, { manager });
  return toScale(updated);
}
