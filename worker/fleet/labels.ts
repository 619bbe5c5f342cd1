/** Label and annotation keys Fleetplane puts on what it creates, defined once. */
export const LABEL_TENANT = 'fleetplane.io/tenant';
export const LABEL_APP = 'fleetplane.io/app';
export const LABEL_NAMESPACE = 'fleetplane.io/namespace';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const ANNOTATION_REVISION = 'fleetplane.io/revision';

export const CONNECTOR_NAMESPACE = 'fleetplane-system';
export const CONNECTOR_NAME = 'fleetplane-connector';
export const CONNECTOR_VERSION = '0.1.0';
export const CONNECTOR_IMAGE = `fleetplane/connector:${CONNECTOR_VERSION}`;
