// zod/mini: the same validation, tree-shaken to what is used (the full zod is ~570 KB of the connector's bundle)
import * as z from 'zod/mini';
import { DEFAULT_GATEWAY_TOKEN_FILE } from './gateway.js';

const optional = <T extends z.ZodMiniType>(s: T) => z.pipe(z.transform((v: unknown) => (v === '' ? undefined : v)), z.optional(s));
const dnsLabel = z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'must be a DNS-1123 label' }), z.maxLength(63));

const EnvSchema = z.object({
  FLEETPLANE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  FLEETPLANE_JOIN_TOKEN: optional(z.string().check(z.minLength(1))),
  FLEETPLANE_NAMESPACE: optional(dnsLabel),
  FLEETPLANE_SECRET_NAME: optional(z.string().check(z.regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, { error: 'must be a DNS-1123 subdomain' }), z.maxLength(253))),
  KUBECONFIG: optional(z.string().check(z.minLength(1))),
  FLEETPLANE_HEALTH_PORT: optional(z.coerce.number({ error: 'must be a number' }).check(z.int(), z.minimum(0), z.maximum(65535, { error: 'must be a port number (0-65535)' }))),
  FLEETPLANE_GATEWAY_TOKEN_FILE: optional(z.string().check(z.minLength(1))),
  FLEETPLANE_RESYNC_SECONDS: optional(z.coerce.number({ error: 'must be a number' }).check(z.int(), z.minimum(5, { error: 'must be at least 5' }))),
});

export interface ConnectorConfig {
  url: string;
  joinToken: string | undefined;
  namespace: string;
  secretName: string;
  kubeconfig: string | undefined;
  healthPort: number;
  /** periodic re-apply of everything desired (drift that no watch event showed) */
  resyncSeconds: number;
  /** the token of the ServiceAccount that may only impersonate: the gateway's identity */
  gatewayTokenFile: string;
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad or missing value names its variable. */
export function parseConfig(env: Record<string, string | undefined>): ConnectorConfig {
  const r = EnvSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const name = String(i.path[0]);
      const missing = env[name] === undefined || env[name] === '';
      return `${name}: ${missing ? 'is required' : i.message}`;
    });
    throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = r.data;
  return {
    url: e.FLEETPLANE_URL.replace(/\/+$/, ''),
    joinToken: e.FLEETPLANE_JOIN_TOKEN,
    namespace: e.FLEETPLANE_NAMESPACE ?? 'fleetplane-system',
    secretName: e.FLEETPLANE_SECRET_NAME ?? 'fleetplane-connector',
    kubeconfig: e.KUBECONFIG,
    healthPort: e.FLEETPLANE_HEALTH_PORT ?? 8080,
    resyncSeconds: e.FLEETPLANE_RESYNC_SECONDS ?? 300,
    gatewayTokenFile: e.FLEETPLANE_GATEWAY_TOKEN_FILE ?? DEFAULT_GATEWAY_TOKEN_FILE,
  };
}
