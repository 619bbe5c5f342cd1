import type { KindInfo } from './kinds.js';

/**
 * Failures as the apiserver reports them: a metav1.Status body with the HTTP
 * code repeated inside, so clients (ApiException.code, kubectl) read them as
 * they would from a real cluster.
 */
export interface StatusCause { reason?: string; message?: string; field?: string }

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
  ) {
    super(message);
  }

  status() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** `configmaps "x" not found` — the resource is named by plural (and group), as the apiserver does. */
const resourceName = (info: KindInfo) => (info.group ? `${info.plural}.${info.group}` : info.plural);
const details = (info: KindInfo, name: string, causes?: StatusCause[]) => ({
  name, group: info.group, kind: info.plural, ...(causes ? { causes } : {}),
});

export const notFound = (info: KindInfo, name: string) =>
  new KubeError(404, 'NotFound', `${resourceName(info)} "${name}" not found`, details(info, name));

export const alreadyExists = (info: KindInfo, name: string) =>
  new KubeError(409, 'AlreadyExists', `${resourceName(info)} "${name}" already exists`, details(info, name));

export const conflict = (info: KindInfo, name: string, why: string) =>
  new KubeError(409, 'Conflict',
    `Operation cannot be fulfilled on ${resourceName(info)} "${name}": ${why}`, details(info, name));

/** 422 with one cause per field, message shaped like `Kind "name" is invalid: field: problem`. */
export const invalid = (info: KindInfo, name: string, causes: StatusCause[]) =>
  new KubeError(422, 'Invalid',
    `${info.kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    { name, group: info.group, kind: info.kind, causes: causes.map((c) => ({ reason: 'FieldValueInvalid', ...c })) });

export const badRequest = (message: string) => new KubeError(400, 'BadRequest', message);

export const methodNotAllowed = (method: string) =>
  new KubeError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`,
    { causes: [{ message: `method ${method} not allowed` }] });

export const unsupportedMediaType = (type: string) =>
  new KubeError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${type}`);

export const unauthorized = () => new KubeError(401, 'Unauthorized', 'Unauthorized');

/** Watch from a resourceVersion older than the kept history, as a watch ERROR event carries it. */
export const expired = (rv: string, oldest: number) =>
  new KubeError(410, 'Expired', `too old resource version: ${rv} (${oldest})`);

export const pathNotFound = () => new KubeError(404, 'NotFound', 'the server could not find the requested resource');
