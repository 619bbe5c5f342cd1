import { LABEL_APP, LABEL_TENANT } from '../fleet/labels.js';
import { ANNOTATION_DELETION_POLICY } from './keys.js';
import type { KubeObject, RenderInput } from './types.js';

/**
 * Marks an object as owned by the app, so the connector prunes only what it
 * owns. Ownership labels overwrite whatever the template put there: a template
 * must not be able to claim another app's or tenant's objects. The revision
 * annotation is added later, when the objects are served.
 */
export function stamp(o: KubeObject, input: RenderInput): KubeObject {
  const labels = { ...o.metadata.labels, [LABEL_TENANT]: input.tenant, [LABEL_APP]: input.app.name };
  const annotations =
    input.app.deletionPolicy === 'Orphan' ? { ...o.metadata.annotations, [ANNOTATION_DELETION_POLICY]: 'Orphan' } : o.metadata.annotations;
  return { ...o, metadata: { ...o.metadata, labels, ...(annotations ? { annotations } : {}) } };
}
