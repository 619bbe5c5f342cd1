/**
 * A typed Fleetplane client: openapi-fetch over the types generated from the
 * server's OpenAPI document (`client/schema.d.ts`, `npm run client:generate`).
 *
 *   const api = createFleetplaneClient({ baseUrl, token });
 *   const { data, error } = await api.GET('/v1/tenants/{tenant}/clusters/{cluster}', {
 *     params: { path: { tenant: 'acme', cluster: 'edge-1' } },
 *   });
 */
import createClient, { type Client } from 'openapi-fetch';
import { retryingFetch, type RetryOptions } from './retry.js';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
export type FleetplaneClient = Client<paths>;
export type Problem = components['schemas']['Problem'];
export { backoffMs, retryAfterMs, retryingFetch, type RetryOptions } from './retry.js';

export interface ClientOptions {
  /** the server, e.g. https://fleet.example.com (no /v1) */
  baseUrl: string;
  /** an API token (fp_...) or a user JWT */
  token?: string | undefined;
  retry?: RetryOptions;
  userAgent?: string;
  fetch?: typeof fetch;
}

export function createFleetplaneClient(o: ClientOptions): FleetplaneClient {
  const headers: Record<string, string> = { 'User-Agent': o.userAgent ?? 'fleetplane-client' };
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  return createClient<paths>({
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    headers,
    fetch: retryingFetch(o.retry, o.fetch),
  });
}
