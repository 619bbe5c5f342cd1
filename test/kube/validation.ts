import { badRequest, invalid, type StatusCause } from './errors.js';
import { apiVersionOf, type KindInfo } from './kinds.js';

/**
 * The checks every write passes, with the apiserver's messages: names must be
 * DNS-1123 subdomains (labels for Namespaces and Services), label values well
 * formed, and the body's kind/apiVersion/name/namespace must agree with the URL.
 */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function nameProblem(info: KindInfo, name: string): string | undefined {
  if (info.kind === 'Namespace') return name.length <= 63 && LABEL.test(name) ? undefined : LABEL_MSG;
  if (info.kind === 'Service') return name.length <= 63 && DNS1035.test(name) ? undefined : DNS1035_MSG;
  return name.length <= 253 && SUBDOMAIN.test(name) ? undefined : SUBDOMAIN_MSG;
}

/** 422 Invalid when the object itself is malformed. */
export function validateObject(info: KindInfo, obj: any): void {
  const name = obj?.metadata?.name;
  const causes: StatusCause[] = [];
  if (!name) causes.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  else {
    const problem = nameProblem(info, String(name));
    if (problem) causes.push({ field: 'metadata.name', message: `Invalid value: ${JSON.stringify(name)}: ${problem}` });
  }
  for (const [key, value] of Object.entries(obj?.metadata?.labels ?? {})) {
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      causes.push({ field: 'metadata.labels', message: `Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
    if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
      causes.push({ field: 'metadata.labels', message: `Invalid value: ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.'` });
    }
  }
  if (causes.length) throw invalid(info, String(name ?? ''), causes);
}

/**
 * 400 BadRequest when the body disagrees with the URL it was sent to. A body
 * without apiVersion/kind takes the URL's, as the apiserver's decoder defaults
 * them; apply bodies must carry both.
 */
export function matchUrl(info: KindInfo, obj: any, url: { namespace?: string; name?: string }, requireTypeMeta: boolean): any {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON or YAML object');
  const expected = apiVersionOf(info);
  if (requireTypeMeta && !obj.kind) throw badRequest("Object 'Kind' is missing in '" + JSON.stringify(obj) + "'");
  if (requireTypeMeta && !obj.apiVersion) throw badRequest("Object 'apiVersion' is missing in '" + JSON.stringify(obj) + "'");
  if (obj.apiVersion && obj.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (obj.kind && obj.kind !== info.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
  const metadata = { ...(obj.metadata ?? {}) };
  if (url.name !== undefined) {
    if (metadata.name && metadata.name !== url.name) {
      throw badRequest(`the name of the object (${metadata.name}) does not match the name on the URL (${url.name})`);
    }
    metadata.name = url.name;
  }
  if (info.namespaced && url.namespace !== undefined) {
    if (metadata.namespace && metadata.namespace !== url.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    metadata.namespace = url.namespace;
  }
  if (!info.namespaced) delete metadata.namespace;
  return { ...obj, apiVersion: expected, kind: info.kind, metadata };
}
