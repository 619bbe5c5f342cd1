/**
 * Keys the renderer adds beyond those in fleet/labels.ts. The connector reads the
 * deletion-policy annotation to leave an object in place when its app goes away.
 */
export const ANNOTATION_DELETION_POLICY = 'fleetplane.io/deletion-policy';
