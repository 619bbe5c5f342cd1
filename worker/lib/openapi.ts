import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Problem } from './schemas.js';

const problemDescriptions: Record<number, string> = {
  400: 'invalid request; `errors` lists every problem',
  401: 'missing or invalid credentials',
  403: 'the caller’s role is too low',
  404: 'not found (also for another tenant’s resources)',
  409: 'conflict',
  412: 'If-Match / If-None-Match failed',
  413: 'body over 1 MiB',
  415: 'the body is not declared as JSON (Content-Type)',
  422: 'Idempotency-Key reused with another body',
  429: 'rate limited; see Retry-After',
  503: 'unavailable; see Retry-After',
};

/** Problem (RFC 9457) responses for the given status codes, ready to spread into `responses`. */
export const problemResponses = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      { description: problemDescriptions[code] ?? 'error', content: { 'application/problem+json': { schema: Problem } } },
    ]),
  );

const shapeOf = (schema: unknown): Record<string, unknown> => {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? shape : {};
};
const keysOf = (schema: unknown) => Object.keys(shapeOf(schema));

/** A string with no rule (no format, length or pattern) accepts every path segment: it cannot fail validation. */
const acceptsAnything = (field: unknown) => {
  const def = (field as { _zod?: { def?: { type?: string; checks?: unknown[] } } })._zod?.def;
  return def?.type === 'string' && !def.checks?.length;
};

/**
 * The client errors a route can answer because of what every route of its
 * kind goes through, whatever its handler does:
 * - authenticated (not `security: []`): 401, and 429 from the per-caller rate limit;
 * - a body: 400 (invalid), 413 (over 1 MiB), 415 (not JSON);
 * - a query, or a checked path parameter past `{tenant}` (whose checks answer 404 first): 400;
 * - under `/v1/tenants/{tenant}`: 404 (unknown tenant, or one the caller cannot see);
 * - If-Match / If-None-Match on a write: 412; Idempotency-Key on a POST: 409 and 422.
 * The rest (403 for a role, 409 for a conflict) each route declares itself.
 */
export function implicitProblems(route: RouteConfig): number[] {
  const codes = new Set<number>();
  const req = route.request;
  if (route.security === undefined || route.security.length > 0) [401, 429].forEach((c) => codes.add(c));
  if (req?.body) [400, 413, 415].forEach((c) => codes.add(c));
  const checkedParams = Object.entries(shapeOf(req?.params)).filter(([k, f]) => k !== 'tenant' && !acceptsAnything(f));
  if (req?.query || checkedParams.length) codes.add(400);
  if (route.path.startsWith('/v1/tenants/{tenant}')) codes.add(404);
  const headers = Array.isArray(req?.headers) ? [] : keysOf(req?.headers);
  if (route.method !== 'get' && headers.some((h) => h === 'if-match' || h === 'if-none-match')) codes.add(412);
  if (route.method === 'post' && headers.includes('idempotency-key')) [409, 422].forEach((c) => codes.add(c));
  return [...codes];
}

/** Adds to every registered route the problem responses it can answer but did not declare. */
export function declareImplicitProblems(app: OpenAPIHono<any>) {
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type !== 'route') continue;
    const missing = implicitProblems(d.route).filter((code) => !(code in d.route.responses));
    Object.assign(d.route.responses, problemResponses(...missing));
  }
}

/** Tag descriptions, in the order the document lists them. A tag missing here fails the lint. */
const tagDescriptions: Record<string, string> = {
  system: 'Probes and the keys that verify connector credentials',
  tenants: 'Tenants: created by the platform admin, managed by their owners',
  members: 'OIDC subjects and their roles inside a tenant',
  tokens: 'Tenant-scoped API tokens (`fp_...`), shown once at creation',
  audit: 'Who changed what, and when',
  clusters: 'Clusters of the fleet: health, joining through a connector, revocation',
  gateway: "A cluster's Kubernetes API through its connector's tunnel, as the caller",
  connector: 'The protocol the in-cluster connector speaks (connector credentials only)',
  catalog: 'Built-in templates readable by every tenant',
  templates: 'Templates and their immutable versions',
  namespaces: 'Namespaces placed on many clusters, with quotas',
  apps: 'Apps rendered from templates and pushed to the clusters they are placed on',
  events: 'Cluster and app phase changes, drift and rollout steps, newest first',
  webhooks: 'Standard Webhooks deliveries of events to your endpoints',
};

export function documentTags(app: OpenAPIHono<any>) {
  const used = new Set(app.openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' ? (d.route.tags ?? []) : [])));
  const known = Object.keys(tagDescriptions).filter((t) => used.has(t));
  const unknown = [...used].filter((t) => !(t in tagDescriptions)).sort();
  return [...known.map((name) => ({ name, description: tagDescriptions[name]! })), ...unknown.map((name) => ({ name }))];
}

/** Where clients reach the API: FLEETPLANE_PUBLIC_URL, else the origin the request came to. */
export const serverUrl = (publicUrl: string | undefined, c: Context) =>
  (publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');

export const documentInfo = {
  title: 'Fleetplane API',
  version: '1',
  description: [
    'A multi-tenant control plane for fleets of Kubernetes clusters.',
    '',
    '- Authentication: `Authorization: Bearer` with an API token (`fp_...`), a user JWT from the configured OIDC issuer,',
    '  or (only on `/v1/connector/*`) a connector credential.',
    '- Resources are `{ metadata, spec, status }`; `PUT` creates (201) or replaces (200); every single-resource answer',
    '  carries `ETag: "<resourceVersion>"` for `If-Match` / `If-None-Match`.',
    '- Lists answer `{ items, nextCursor }`; pass `cursor` back for the next page.',
    '- Errors are `application/problem+json` (RFC 9457) with `code`, `requestId` and, for invalid requests,',
    '  `errors[]` of `{ pointer, message }`. 429 and 503 carry `Retry-After`.',
    '- POSTs accept `Idempotency-Key`; bodies are limited to 1 MiB.',
  ].join('\n'),
};
