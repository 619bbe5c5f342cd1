export { ANNOTATION_REVISION, LABEL_APP, LABEL_NAMESPACE, LABEL_TENANT } from '../worker/fleet/labels.js';
/** Set on an object whose owner is deployed with deletionPolicy Orphan: never deleted by a prune. */
export const ANNOTATION_DELETION_POLICY = 'fleetplane.io/deletion-policy';
/** Marks the connector's own bookkeeping objects (inventories). */
export const LABEL_INVENTORY = 'fleetplane.io/inventory';
