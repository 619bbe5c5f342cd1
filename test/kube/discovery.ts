import { apiVersionOf, groupVersions, KINDS } from './kinds.js';

/**
 * Legacy (non-aggregated) discovery documents, built from the kind registry.
 * Clients asking for aggregated discovery get these too, with a plain JSON
 * content type, and fall back as they do against older servers.
 */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** The kinds `kubectl get all` covers, by the `all` category as the apiserver lists it. */
const ALL = new Set(['Pod', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(group: string) {
  const versions = groupVersions().filter((gv) => gv.group === group).map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  const groups = [...new Set(groupVersions().map((gv) => gv.group).filter(Boolean))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupEntry) };
}

export function apiGroup(group: string) {
  const entry = groupEntry(group);
  return entry.versions.length ? { kind: 'APIGroup', apiVersion: 'v1', ...entry } : undefined;
}

export function apiResourceList(group: string, version: string) {
  const kinds = KINDS.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  const resources = kinds.flatMap((k) => [
    { name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: VERBS, ...(k.shortNames ? { shortNames: k.shortNames } : {}), ...(ALL.has(k.kind) ? { categories: ['all'] } : {}) },
    ...(k.status ? [{ name: `${k.plural}/status`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ...(k.scale ? [{ name: `${k.plural}/scale`, singularName: '', namespaced: k.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }] : []),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(kinds[0]!), resources };
}

export function versionInfo() {
  return {
    major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2024-12-11T00:00:00Z', goVersion: 'go1.23.4', compiler: 'gc', platform: 'linux/amd64',
  };
}
