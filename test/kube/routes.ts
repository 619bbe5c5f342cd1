import { kindForResource, type KindInfo } from './kinds.js';

/**
 * Splits an API path into what it addresses:
 *   /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]
 *   /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]
 * `/api/v1/namespaces/{name}` is the Namespace itself, not a scope.
 */
export type Route =
  | { type: 'discovery-root'; legacy: boolean }
  | { type: 'discovery-group-version'; group: string; version: string }
  | { type: 'discovery-group'; group: string }
  | { type: 'version' }
  | { type: 'resource'; info: KindInfo; namespace?: string; name?: string; subresource?: string }
  | { type: 'unknown' };

export function route(pathname: string): Route {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { type: 'unknown' }; // a malformed escape names nothing the server serves
  }
  if (parts.length === 1 && parts[0] === 'version') return { type: 'version' };
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'discovery-root', legacy: true };
    if (parts[1] !== 'v1') return { type: 'unknown' };
    return rest('', 'v1', parts.slice(2));
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'discovery-root', legacy: false };
    if (parts.length === 2) return { type: 'discovery-group', group: parts[1]! };
    return rest(parts[1]!, parts[2]!, parts.slice(3));
  }
  return { type: 'unknown' };
}

function rest(group: string, version: string, p: string[]): Route {
  if (p.length === 0) return { type: 'discovery-group-version', group, version };
  let namespace: string | undefined;
  // `namespaces/{ns}/{plural}…` scopes to a namespace; `namespaces/{name}[/status]` is the Namespace.
  if (p[0] === 'namespaces' && p.length >= 3 && !(group === '' && p.length === 3 && (p[2] === 'status' || p[2] === 'finalize'))) {
    namespace = p[1];
    p = p.slice(2);
  }
  const info = kindForResource(group, version, p[0]!);
  if (!info || p.length > 3 || (namespace !== undefined && !info.namespaced)) return { type: 'unknown' };
  return { type: 'resource', info, namespace, name: p[1], subresource: p[2] };
}
