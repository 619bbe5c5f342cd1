/**
 * What may pass the gateway, checked on both sides of the tunnel (the control
 * plane, and the connector again): the paths of a Kubernetes API server, never
 * a protocol switch, and none of the caller's credentials or impersonation.
 */

/** RFC 9110 §7.6.1 connection options, and what only the hop to the gateway means. */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'http2-settings',
]);

/** The caller's own credentials and identity claims: the cluster learns who calls only from Impersonate-*, set by the connector. */
const CALLER_IDENTITY = new Set([
  'authorization', 'cookie', 'x-remote-user', 'x-remote-group', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto',
  // the replicas' own hop (worker/node/gateway-peers.ts)
  'x-fleetplane-gateway-hop',
]);
const IDENTITY_PREFIXES = ['impersonate-', 'x-remote-extra-'];

/** The headers with their names lowercased, and the names their `Connection` header lists (hop-by-hop too). */
function lowered(headers: Iterable<[string, string]>) {
  const list = [...headers].map(([k, v]) => [k.toLowerCase(), v] as [string, string]);
  const named = new Set(list.filter(([k]) => k === 'connection').flatMap(([, v]) => v.split(',').map((t) => t.trim().toLowerCase())));
  return { list, named };
}

/**
 * The headers to send on, without hop-by-hop ones, those the caller's
 * `Connection` header names (CVE-2021-31999: an `Impersonate-User` listed there
 * was dropped late and the request ran as the proxy), credentials and
 * impersonation. Names are lowercased.
 */
export function requestHeaders(headers: Iterable<[string, string]>): [string, string][] {
  const { list, named } = lowered(headers);
  return list.filter(([k, v]) => !HOP_BY_HOP.has(k) && !named.has(k) && !CALLER_IDENTITY.has(k) && !IDENTITY_PREFIXES.some((p) => k.startsWith(p))
    // the body goes through byte for byte, so its length holds; anything but a length is dropped
    && (k !== 'content-length' || /^\d{1,12}$/.test(v)));
}

/** The API server's answer headers to pass back: no hop-by-hop ones, no cookies. */
export function responseHeaders(headers: Iterable<[string, string]>): [string, string][] {
  const { list, named } = lowered(headers);
  return list.filter(([k]) => !HOP_BY_HOP.has(k) && !named.has(k) && k !== 'set-cookie');
}

/** The API server's own paths; nothing else of the cluster's network is reachable. */
const ROOTS = ['/api', '/apis', '/version', '/openapi', '/healthz', '/livez', '/readyz'];

/**
 * Why a path (with its query) may not go through the gateway, or undefined.
 * Dot segments, plain or percent-encoded, could climb out of the API server's
 * base path (or, before the route, to another cluster's gateway).
 */
export function pathProblem(pathAndQuery: string): string | undefined {
  if (!pathAndQuery.startsWith('/') || pathAndQuery.startsWith('//')) return 'the path must start with a single /';
  const path = pathAndQuery.split('?')[0]!;
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return 'the path holds a backslash or a control character';
  let decoded: string[];
  try {
    decoded = path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return 'the path is not valid percent-encoding';
  }
  if (decoded.some((s) => s === '.' || s === '..' || s.includes('/'))) return 'the path holds a dot segment or an encoded /';
  if (!ROOTS.some((r) => path === r || path.startsWith(`${r}/`))) return `only the API server's paths (${ROOTS.join(', ')}) go through the gateway`;
  return undefined;
}

/** A request that asks to switch protocols (exec, attach, port-forward): never switched (CVE-2018-1002105). */
export const wantsUpgrade = (headers: Iterable<[string, string]>) =>
  [...headers].some(([k, v]) => k.toLowerCase() === 'upgrade' || (k.toLowerCase() === 'connection' && /\bupgrade\b/i.test(v)));

export const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
