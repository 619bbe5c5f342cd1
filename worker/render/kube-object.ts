import { isLabelKey, isLabelValue } from '../lib/schemas.js';
import { isPlainObject } from './plain-object.js';
import type { KubeObject } from './types.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' rule for most object names: dot-separated DNS-1123 labels, at most 253 characters. */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every((part) => DNS_LABEL.test(part));
}

function stringMapProblem(field: string, v: unknown, checkKeys: boolean): string | undefined {
  if (v === undefined) return undefined;
  if (!isPlainObject(v)) return `${field} must be an object of strings`;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') return `${field}["${k}"] must be a string`;
    if (checkKeys && !isLabelKey(k)) return `${field} key "${k}" is not a valid label key`;
    if (checkKeys && !isLabelValue(val)) return `${field}["${k}"]: "${val}" is not a valid label value`;
  }
  return undefined;
}

/**
 * Why `doc` is not something an API server would accept as an object, or
 * undefined when it is. Only the envelope is checked; what a kind requires in
 * its spec is the API server's business.
 */
export function kubeObjectProblem(doc: unknown): string | undefined {
  if (!isPlainObject(doc)) return `is ${Array.isArray(doc) ? 'an array' : typeof doc}, not a Kubernetes object`;
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '') return 'has no apiVersion';
  if (typeof doc.kind !== 'string' || doc.kind === '') return 'has no kind';
  const meta = doc.metadata;
  if (!isPlainObject(meta)) return 'has no metadata';
  if (typeof meta.name !== 'string' || meta.name === '') return 'has no metadata.name';
  if (!isDnsSubdomain(meta.name)) return `metadata.name "${meta.name}" is not a DNS-1123 subdomain (lowercase alphanumerics, "-" and ".", at most 253 characters)`;
  if (meta.namespace !== undefined && (typeof meta.namespace !== 'string' || !(meta.namespace.length <= 63 && DNS_LABEL.test(meta.namespace)))) {
    return `metadata.namespace ${JSON.stringify(meta.namespace)} is not a DNS-1123 label`;
  }
  return stringMapProblem('metadata.labels', meta.labels, true) ?? stringMapProblem('metadata.annotations', meta.annotations, false);
}

/** What makes an object distinct on a cluster: API group, kind, namespace and name (the version does not). */
export function objectIdentity(o: KubeObject): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  return [group, o.kind, o.metadata.namespace ?? '', o.metadata.name].join('\u0000');
}

export function describeObject(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}
